using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Documents;

/// <summary>
/// One app on the demo catalog for document tests, with small upload limits (so limits are cheap to cross) and its clock
/// at the real time (upload URLs are checked by the emulator against its own clock).
/// </summary>
public sealed class DocumentsApp : IAsyncLifetime
{
    public const int MaxUploadBytes = 256 * 1024;
    public const int MaxDirectUploadBytes = 64 * 1024;

    public ApiFactory Factory { get; private set; } = null!;
    public HttpClient Xihu { get; private set; } = null!;
    public HttpClient Binjiang { get; private set; } = null!;
    public HttpClient City { get; private set; } = null!;

    /// <summary>For URLs that carry their own authorisation (upload and download URLs): no bureau key.</summary>
    public HttpClient Storage { get; } = new();

    public async Task InitializeAsync()
    {
        Factory = await ApiFactory.WithDemoCatalogAsync(new Dictionary<string, string?>
        {
            ["Documents:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Documents:MaxDirectUploadBytes"] = MaxDirectUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Factory.Clock.Now = DateTimeOffset.UtcNow;
        (await Factory.CreateReadyClientAsync()).Dispose();
        Xihu = Factory.CreateBureauClient("xihu");
        Binjiang = Factory.CreateBureauClient("binjiang");
        City = Factory.CreateBureauClient("hangzhou");
    }

    public async Task DisposeAsync()
    {
        Xihu.Dispose();
        Binjiang.Dispose();
        City.Dispose();
        Storage.Dispose();
        await Factory.DisposeAsync();
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary><c>POST /api/bureau/documents</c> with the file as the body.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient bureau, byte[] content, string contentType, string kind = "catalog",
        string fileName = "名录.csv", string? carrierId = null)
    {
        var url = $"/api/bureau/documents?kind={kind}&fileName={Uri.EscapeDataString(fileName)}" + (carrierId is null ? "" : "&carrierId=" + carrierId);
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await bureau.PostAsync(new Uri(url, UriKind.Relative), body);
    }

    /// <summary>Asks for an upload URL; returns the ticket.</summary>
    public static async Task<JsonElement> TicketAsync(HttpClient bureau, string contentType, long size, string kind = "catalog", string fileName = "名录.csv")
    {
        using var response = await bureau.PostAsync(new Uri("/api/bureau/documents/upload-url", UriKind.Relative), JsonContent(
            $$"""{"kind":"{{kind}}","fileName":{{JsonSerializer.Serialize(fileName)}},"contentType":"{{contentType}}","size":{{size}}}"""));
        return await JsonAsync(response, HttpStatusCode.Created);
    }

    /// <summary>What a browser does with a ticket: one PUT of the file to the upload URL with the headers it names.</summary>
    public async Task<HttpResponseMessage> PutAsync(JsonElement ticket, byte[] content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, ticket.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(content) };
        foreach (var header in ticket.GetProperty("headers").EnumerateObject())
        {
            if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
            {
                request.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
            }
        }
        return await Storage.SendAsync(request);
    }

    public static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
