using System.Net;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>
/// Shared Key for Table: <c>VERB\nContent-MD5\nContent-Type\nDate\nCanonicalizedResource</c>. The expected strings are the
/// ones verified against Azurite 3.37 (note the account name twice against the emulator's path-style URLs).
/// </summary>
public sealed class TableSharedKeySigningTests
{
    private const string Date = "Sun, 22 Nov 2026 01:54:05 GMT";
    private const string Emulator = "http://127.0.0.1:10002/devstoreaccount1";

    [Fact]
    public void CreateTableStringToSignMatchesTheVerifiedSample()
    {
        var stringToSign = TableSharedKeyPipelinePolicy.BuildStringToSign(
            "POST", null, "application/json", Date, "devstoreaccount1", new Uri($"{Emulator}/Tables"));

        Assert.Equal("POST\n\napplication/json\nSun, 22 Nov 2026 01:54:05 GMT\n/devstoreaccount1/devstoreaccount1/Tables", stringToSign);
    }

    [Fact]
    public void QueryStringToSignKeepsTheParenthesesAndIgnoresQueryParameters()
    {
        var stringToSign = TableSharedKeyPipelinePolicy.BuildStringToSign(
            "GET", null, null, Date, "devstoreaccount1",
            new Uri($"{Emulator}/probe1795312445505()?$filter=PartitionKey%20eq%20'p'&$top=2&NextPartitionKey=cQ%3D%3D"));

        Assert.Equal($"GET\n\n\n{Date}\n/devstoreaccount1/devstoreaccount1/probe1795312445505()", stringToSign);
    }

    [Fact]
    public void EntityStringToSignSignsTheEncodedKeys()
    {
        var stringToSign = TableSharedKeyPipelinePolicy.BuildStringToSign(
            "MERGE", null, "application/json", Date, "devstoreaccount1",
            new Uri($"{Emulator}/probe1795312445505(PartitionKey='p%201',RowKey='O%27%27Brien')"));

        Assert.Equal(
            $"MERGE\n\napplication/json\n{Date}\n/devstoreaccount1/devstoreaccount1/probe1795312445505(PartitionKey='p%201',RowKey='O%27%27Brien')",
            stringToSign);
    }

    [Fact]
    public void BatchStringToSignIncludesTheBoundaryInTheContentType()
    {
        const string ContentType = "multipart/mixed; boundary=batch_6b2a1c0e-8f1d-4c55-9a7e-3c2b1d0f9e8a";

        var stringToSign = TableSharedKeyPipelinePolicy.BuildStringToSign(
            "POST", null, ContentType, Date, "devstoreaccount1", new Uri($"{Emulator}/$batch"));

        Assert.Equal($"POST\n\n{ContentType}\n{Date}\n/devstoreaccount1/devstoreaccount1/$batch", stringToSign);
    }

    [Fact]
    public void ProductionUrlSignsTheAccountOnceAndOnlyTheCompParameter()
    {
        var stringToSign = TableSharedKeyPipelinePolicy.BuildStringToSign(
            "GET", "md5==", null, Date, "acct", new Uri("https://acct.table.core.windows.net/mytable?timeout=30&comp=acl"));

        Assert.Equal($"GET\nmd5==\n\n{Date}\n/acct/mytable?comp=acl", stringToSign);
    }

    [Fact]
    public async Task RequestCarriesTheDateItSignedAndASharedKeyHeader()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var table = handler.CreateServiceClient().GetTableClient("mytable");

        await table.AddEntityAsync(new TableEntity("p", "r"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(Date, request.Header("x-ms-date"));
        Assert.Null(request.Header("Date"));
        var expected = TestKeys.Sign($"POST\n\napplication/json\n{Date}\n/devstoreaccount1/devstoreaccount1/mytable");
        Assert.Equal($"SharedKey devstoreaccount1:{expected}", request.Header("Authorization"));
    }

    [Fact]
    public async Task EachRetryIsDatedAndSignedAfresh()
    {
        var clock = new FakeTimeProvider(TestKeys.SigningTime);
        var handler = new StubHttpHandler()
            .Then(_ =>
            {
                clock.Now = clock.Now.AddSeconds(7);
                return StubHttpHandler.Response(HttpStatusCode.ServiceUnavailable);
            })
            .Then(HttpStatusCode.NoContent);
        var table = handler.CreateServiceClient(clock).GetTableClient("mytable");

        await table.UpsertEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal("Sun, 22 Nov 2026 01:54:05 GMT", handler.Requests[0].Header("x-ms-date"));
        Assert.Equal("Sun, 22 Nov 2026 01:54:12 GMT", handler.Requests[1].Header("x-ms-date"));
        foreach (var request in handler.Requests)
        {
            var stringToSign = $"MERGE\n\napplication/json\n{request.Header("x-ms-date")}\n/devstoreaccount1/devstoreaccount1/mytable(PartitionKey='p',RowKey='r')";
            Assert.Equal($"SharedKey devstoreaccount1:{TestKeys.Sign(stringToSign)}", request.Header("Authorization"));
        }
    }
}
