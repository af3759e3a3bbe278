using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Benchmarks.Storage;

/// <summary>
/// One message's round trip on Azurite — send, receive, delete — with our client against the same three requests on a
/// bare <see cref="HttpClient"/>. The baseline precomputes the send and receive signatures; the delete URL carries the pop
/// receipt, so that one signature is computed per call on both sides.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class QueueBenchmarks
{
    private const string ApiVersion = "2025-11-05";
    private const string Payload = """{"applicationId":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","carrierId":"xihu-061","attempt":1}""";

    private BareStorageRequests _bare = null!;
    private QueueClient _queue = null!;
    private string _bareQueueUrl = "";
    private string _bareQueuePath = "";
    private byte[] _sendBody = [];
    private string _sendAuthorization = "";
    private string _receiveAuthorization = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var azurite = await Azurite.Shared;
        _bare = new BareStorageRequests(azurite);
        var service = new QueueServiceClient(azurite.QueueEndpoint, new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey));
        _queue = service.GetQueueClient(Azurite.UniqueName("bench"));
        await _queue.CreateIfNotExistsAsync();
        var bareQueue = service.GetQueueClient(Azurite.UniqueName("bare"));
        await bareQueue.CreateIfNotExistsAsync();

        _bareQueuePath = $"{azurite.QueueEndpoint.AbsolutePath.TrimEnd('/')}/{bareQueue.Name}/messages";
        _bareQueueUrl = $"{azurite.QueueEndpoint.AbsoluteUri.TrimEnd('/')}/{bareQueue.Name}/messages";
        _sendBody = Encoding.UTF8.GetBytes($"<QueueMessage><MessageText>{Convert.ToBase64String(Encoding.UTF8.GetBytes(Payload))}</MessageText></QueueMessage>");
        _sendAuthorization = _bare.BlobQueueAuthorization("POST", _sendBody.Length, "application/xml", Headers(), _bareQueuePath);
        _receiveAuthorization = _bare.BlobQueueAuthorization("GET", 0, "", Headers(), $"{_bareQueuePath}\nnumofmessages:1\nvisibilitytimeout:30");
    }

    private static string Headers() => $"x-ms-date:{BareStorageRequests.Date}\nx-ms-version:{ApiVersion}\n";

    private static HttpRequestMessage Bare(HttpMethod method, string url, string authorization) =>
        BareStorageRequests.Request(method, url, ApiVersion, authorization);

    [Benchmark(Baseline = true), BenchmarkCategory("Queue send, receive, delete")]
    public async Task<int> BareRoundTrip()
    {
        using (var send = Bare(HttpMethod.Post, _bareQueueUrl, _sendAuthorization))
        {
            send.Content = new ByteArrayContent(_sendBody);
            send.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            using var sent = await _bare.Http.SendAsync(send);
            BareStorageRequests.Check(sent);
        }

        string id, popReceipt;
        using (var receive = Bare(HttpMethod.Get, _bareQueueUrl + "?numofmessages=1&visibilitytimeout=30", _receiveAuthorization))
        using (var received = await _bare.Http.SendAsync(receive))
        {
            BareStorageRequests.Check(received);
            (id, popReceipt) = ReadIdAndPopReceipt(await received.Content.ReadAsStreamAsync());
        }

        var deletePath = $"{_bareQueuePath}/{id}";
        var authorization = _bare.BlobQueueAuthorization("DELETE", 0, "", Headers(), $"{deletePath}\npopreceipt:{popReceipt}");
        using var delete = Bare(HttpMethod.Delete, $"{_bareQueueUrl}/{id}?popreceipt={Uri.EscapeDataString(popReceipt)}", authorization);
        using var deleted = await _bare.Http.SendAsync(delete);
        return BareStorageRequests.Check(deleted);
    }

    [Benchmark, BenchmarkCategory("Queue send, receive, delete")]
    public async Task<int> ClientRoundTrip()
    {
        await _queue.SendMessageAsync(Payload);
        var message = (await _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value[0];
        return (await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt)).Status;
    }

    private static (string Id, string PopReceipt) ReadIdAndPopReceipt(Stream xml)
    {
        using var reader = XmlReader.Create(xml, new XmlReaderSettings { Async = false, IgnoreWhitespace = true });
        string? id = null, popReceipt = null;
        reader.MoveToContent();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Name is "MessageId" or "PopReceipt")
            {
                var isId = reader.Name == "MessageId";
                var value = reader.ReadElementContentAsString();
                (id, popReceipt) = isId ? (value, popReceipt) : (id, value);
                continue;
            }
            reader.Read();
        }
        return (id ?? throw new InvalidOperationException("No message received."), popReceipt!);
    }

}
