using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>
/// The transport for unit tests: records every request as it went on the wire and answers from a script, so tests run the
/// real Azure.Core pipeline (retries, signing, error parsing) without a network.
/// </summary>
public sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<RecordedRequest, HttpResponseMessage>> _script = new();

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>Answers the next request; when the script runs out, the last answer repeats.</summary>
    public StubHttpHandler Then(Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    public StubHttpHandler Then(HttpStatusCode status, string? json = null, params (string Name, string Value)[] headers) =>
        Then(_ => Response(status, json, headers));

    public static HttpResponseMessage Response(HttpStatusCode status, string? body = null, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            var mediaType = body.StartsWith('<') ? "application/xml" : "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
            response.Content = new StringContent(body, Encoding.UTF8);
            response.Content.Headers.Remove("Content-Type");
            response.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        }
        foreach (var (name, value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content ??= new ByteArrayContent([]);
                response.Content.Headers.Remove(name);
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // NonValidated: the raw values as they go on the wire; enumerating the headers normally would reformat them.
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers.NonValidated.Concat(request.Content?.Headers.NonValidated ?? default))
        {
            headers[name] = string.Join(",", values);
        }
        var content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!, headers, content);
        Func<RecordedRequest, HttpResponseMessage> respond;
        // Block uploads send several requests at once.
        lock (_script)
        {
            Requests.Add(recorded);
            respond = _script.Count > 1 ? _script.Dequeue() : _script.Count == 1 ? _script.Peek() : throw new InvalidOperationException("No scripted response.");
        }
        return respond(recorded);
    }

    /// <summary>A Table service client whose requests go to this stub, with fast retries and a fixed clock.</summary>
    public TableServiceClient CreateServiceClient(TimeProvider? time = null, Uri? endpoint = null) =>
        new(endpoint ?? new Uri("http://127.0.0.1:10002/devstoreaccount1"),
            new StorageSharedKeyCredential(TestKeys.AccountName, TestKeys.AccountKey),
            CreateOptions(time));

    public TableClientOptions CreateOptions(TimeProvider? time = null) => CreateOptions<TableClientOptions>(time);

    /// <summary>New options of the given kind whose transport is this stub; see <see cref="Configure{TOptions}"/>.</summary>
    public TOptions CreateOptions<TOptions>(TimeProvider? time = null) where TOptions : StorageClientOptions, new() =>
        Configure(new TOptions(), time);

    /// <summary>Sends the options' requests to this stub, with fast retries (at most 2) and a fixed clock.</summary>
    public TOptions Configure<TOptions>(TOptions options, TimeProvider? time = null)
        where TOptions : StorageClientOptions
    {
        options.Transport = new HttpClientTransport(this);
        options.TimeProvider = time ?? new FakeTimeProvider(TestKeys.SigningTime);
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxRetries = 2;
        return options;
    }
}

public sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[]? Content)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string? Body => Content is null ? null : Encoding.UTF8.GetString(Content);

    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>The emulator's published account and key, and a fixed instant, for tests that sign without a server.</summary>
public static class TestKeys
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Sun, 22 Nov 2026 01:54:05 GMT: the instant of the reference's verified string-to-sign samples.</summary>
    public static readonly DateTimeOffset SigningTime = new(2026, 11, 22, 1, 54, 5, TimeSpan.Zero);

    public static string Sign(string stringToSign) => Convert.ToBase64String(
        System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(AccountKey), Encoding.UTF8.GetBytes(stringToSign)));
}
