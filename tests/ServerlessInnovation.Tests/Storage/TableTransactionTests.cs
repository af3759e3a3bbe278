using System.Net;
using System.Text;
using Azure;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>The entity group transaction's wire format, client-side rules and reply handling, without a server.</summary>
public sealed class TableTransactionTests
{
    private const string TableUrl = "http://127.0.0.1:10002/devstoreaccount1/mytable";
    private const string ETagValue = "W/\"datetime'2026-11-22T01%3A54%3A05.5477512Z'\"";
    private static readonly Guid BatchId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid ChangesetId = Guid.Parse("22222222-2222-2222-2222-222222222222");

    private static TableClient Table(StubHttpHandler handler) => handler.CreateServiceClient().GetTableClient("mytable");

    [Fact]
    public void BodyIsOneChangesetOfAbsoluteCrlfRequestsWithOneLineJson()
    {
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, new TableEntity("B", "1") { ["V"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("B", "4") { ["V"] = 4 }, new ETag(ETagValue)),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("B", "5") { ["Name"] = "科创" }),
            new(TableTransactionActionType.Delete, new TableEntity("B", "O'Brien") { ["Ignored"] = true }),
        ];

        var body = TableTransactionBatch.Build(TableUrl, actions, BatchId, ChangesetId);

        string[] expected =
        [
            "--batch_11111111-1111-1111-1111-111111111111",
            "Content-Type: multipart/mixed; boundary=changeset_22222222-2222-2222-2222-222222222222",
            "",
            "--changeset_22222222-2222-2222-2222-222222222222",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            $"POST {TableUrl} HTTP/1.1",
            "Accept: application/json;odata=nometadata",
            "Content-Type: application/json",
            "Prefer: return-no-content",
            "DataServiceVersion: 3.0",
            "",
            """{"PartitionKey":"B","RowKey":"1","V":1}""",
            "--changeset_22222222-2222-2222-2222-222222222222",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            $"MERGE {TableUrl}(PartitionKey='B',RowKey='4') HTTP/1.1",
            "Accept: application/json;odata=nometadata",
            "Content-Type: application/json",
            $"If-Match: {ETagValue}",
            "DataServiceVersion: 3.0",
            "",
            """{"PartitionKey":"B","RowKey":"4","V":4}""",
            "--changeset_22222222-2222-2222-2222-222222222222",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            $"PUT {TableUrl}(PartitionKey='B',RowKey='5') HTTP/1.1",
            "Accept: application/json;odata=nometadata",
            "Content-Type: application/json",
            "DataServiceVersion: 3.0",
            "",
            """{"PartitionKey":"B","RowKey":"5","Name":"科创"}""",
            "--changeset_22222222-2222-2222-2222-222222222222",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            $"DELETE {TableUrl}(PartitionKey='B',RowKey='O%27%27Brien') HTTP/1.1",
            "Accept: application/json;odata=nometadata",
            "If-Match: *",
            "DataServiceVersion: 3.0",
            "",
            "",
            "--changeset_22222222-2222-2222-2222-222222222222--",
            "--batch_11111111-1111-1111-1111-111111111111--",
            "",
        ];
        Assert.Equal(string.Join("\r\n", expected), body);
    }

    [Fact]
    public async Task TransactionIsPostedToBatchWithItsBoundarySigned()
    {
        var handler = new StubHttpHandler().Then(_ => BatchReply(
            "HTTP/1.1 204 No Content", "ETag: W/\"a\"", "",
            "--changesetresponse_9", "Content-Type: application/http", "", "HTTP/1.1 204 No Content", "ETag: W/\"b\"", ""));

        var result = await Table(handler).SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "1")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "2")),
        ]);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/$batch"), request.Uri);
        var contentType = request.Header("Content-Type")!;
        Assert.Matches("^multipart/mixed; boundary=batch_[0-9a-f-]{36}$", contentType);
        var boundary = contentType["multipart/mixed; boundary=".Length..];
        Assert.StartsWith($"--{boundary}\r\n", request.Body, StringComparison.Ordinal);
        Assert.EndsWith($"--{boundary}--\r\n", request.Body, StringComparison.Ordinal);
        Assert.Equal("2020-12-06", request.Header("x-ms-version"));
        var stringToSign = $"POST\n\n{contentType}\nSun, 22 Nov 2026 01:54:05 GMT\n/devstoreaccount1/devstoreaccount1/$batch";
        Assert.Equal($"SharedKey devstoreaccount1:{TestKeys.Sign(stringToSign)}", request.Header("Authorization"));
        Assert.Equal(202, result.GetRawResponse().Status);
        Assert.Equal([204, 204], result.Value.Select(r => r.Status));
        Assert.Equal([new ETag("W/\"a\""), new ETag("W/\"b\"")], result.Value.Select(r => r.Headers.ETag!.Value));
    }

    [Fact]
    public async Task FailedActionIsReportedWithItsIndexStatusAndCode()
    {
        var handler = new StubHttpHandler().Then(_ => BatchReply(
            "HTTP/1.1 409 Conflict",
            "Content-ID: 2",
            "DataServiceVersion: 3.0;",
            "Content-Type: application/json;odata=minimalmetadata;charset=utf-8",
            "",
            """{"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"1:The specified entity already exists.\nRequestId:5\nTime:2026-11-22T01:55:00.0000000Z"}}}"""));

        var exception = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table(handler).SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "0")),
            new(TableTransactionActionType.Add, new TableEntity("p", "1")),
        ]));

        Assert.Equal(1, exception.FailedTransactionActionIndex);
        Assert.Equal(409, exception.Status);
        Assert.Equal("EntityAlreadyExists", exception.ErrorCode);
        Assert.StartsWith("1:The specified entity already exists.", exception.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task FailureWithoutAnIndexStillFailsTheTransaction()
    {
        var handler = new StubHttpHandler().Then(_ => BatchReply(
            "HTTP/1.1 400 Bad Request",
            "Content-Type: application/json;odata=minimalmetadata;charset=utf-8",
            "",
            """{"odata.error":{"code":"InvalidInput","message":{"lang":"en-US","value":"The batch request is malformed."}}}"""));

        var exception = await Assert.ThrowsAsync<TableTransactionFailedException>(
            () => Table(handler).SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity("p", "0"))]));

        Assert.Null(exception.FailedTransactionActionIndex);
        Assert.Equal("InvalidInput", exception.ErrorCode);
    }

    [Fact]
    public async Task HundredActionsAreAllowed()
    {
        var handler = new StubHttpHandler().Then(_ => BatchReply(string.Join("\r\n",
            Enumerable.Repeat("HTTP/1.1 204 No Content\r\n\r\n--changesetresponse_9\r\nContent-Type: application/http\r\n", 100))));
        var actions = Enumerable.Range(0, 100).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i}")));

        var result = await Table(handler).SubmitTransactionAsync(actions);

        Assert.Equal(100, result.Value.Count);
    }

    [Theory]
    [MemberData(nameof(BrokenTransactions))]
    public async Task TransactionBreakingAServiceRuleIsRejectedBeforeSending(string rule, TableTransactionAction[] actions, string expected)
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Accepted);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Table(handler).SubmitTransactionAsync(actions));

        Assert.True(exception.Message.Contains(expected, StringComparison.Ordinal), $"{rule}: {exception.Message}");
        Assert.Equal("actions", exception.ParamName);
        Assert.Empty(handler.Requests);
    }

    public static TheoryData<string, TableTransactionAction[], string> BrokenTransactions() => new()
    {
        { "no action", [], "1 to 100 actions; got 0" },
        { "101 actions", [.. Enumerable.Range(0, 101).Select(i => Action(TableTransactionActionType.Add, "p", $"r{i}"))], "1 to 100 actions; got 101" },
        {
            "mixed partitions",
            [Action(TableTransactionActionType.Add, "a", "1"), Action(TableTransactionActionType.Delete, "b", "2")],
            "action 1 has 'b' where action 0 has 'a'"
        },
        {
            "repeated row",
            [Action(TableTransactionActionType.UpsertMerge, "a", "1"), Action(TableTransactionActionType.Delete, "a", "1")],
            "action 1 repeats RowKey '1'"
        },
        // Each entity is within the 1 MiB estimate (UTF-16), but its JSON is about 1.5 MB of UTF-8.
        { "body over 4 MiB", [.. Enumerable.Range(0, 3).Select(i => Action(TableTransactionActionType.UpsertReplace, "p", $"r{i}", 15, 32 * 1024))], "at most 4194304 (4 MiB)" },
        { "string too long", [Action(TableTransactionActionType.Add, "p", "r", 1, 40_000)], "string of 40000 characters" },
        { "bad delete key", [Action(TableTransactionActionType.Delete, "p", "a#b")], "RowKey contains '#'" },
        { "null action", [null!], "action 0 is null" },
    };

    private static TableTransactionAction Action(
        TableTransactionActionType type, string partitionKey, string rowKey, int properties = 0, int propertyLength = 0)
    {
        var entity = new TableEntity(partitionKey, rowKey);
        for (var i = 0; i < properties; i++)
        {
            entity[$"P{i}"] = new string('孵', propertyLength);
        }
        return new TableTransactionAction(type, entity);
    }

    [Fact]
    public void ReplyPartsAreReadWithStatusHeadersAndBody()
    {
        var parts = TableTransactionBatch.ParseResponse(
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 204 No Content\r\nETag: W/\"x\"\r\nLocation: http://h/t(PartitionKey='p',RowKey='r')\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\n\r\n" +
            "HTTP/1.1 412 Precondition Failed\r\nContent-Type: application/json\r\n\r\n{\"odata.error\":{}}\r\n" +
            "--changesetresponse_2--\r\n--batchresponse_1--\r\n");

        Assert.Equal([204, 412], parts.Select(p => p.Status));
        Assert.Equal("No Content", parts[0].ReasonPhrase);
        Assert.Equal(new ETag("W/\"x\""), parts[0].Headers.ETag);
        Assert.Equal("http://h/t(PartitionKey='p',RowKey='r')", parts[0].Headers.TryGetValue("Location", out var location) ? location : null);
        Assert.False(parts[0].IsError);
        Assert.True(parts[1].IsError);
        Assert.Equal("{\"odata.error\":{}}", parts[1].Content.ToString());
    }

    [Theory]
    [InlineData("1:The specified entity already exists.", 1)]
    [InlineData("99:Bad.", 99)]
    [InlineData("The batch request is malformed.", null)]
    [InlineData(null, null)]
    public void FailedActionIndexIsTheMessagePrefix(string? message, int? expected)
    {
        Assert.Equal(expected, TableTransactionBatch.FailedActionIndex(message));
    }

    // A 202 multipart reply holding one changeset; the lines are the first part's status line onwards.
    private static HttpResponseMessage BatchReply(params string[] firstPartOnwards)
    {
        var body = "--batchresponse_8\r\nContent-Type: multipart/mixed; boundary=changesetresponse_9\r\n\r\n" +
            "--changesetresponse_9\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            string.Join("\r\n", firstPartOnwards) + "\r\n--changesetresponse_9--\r\n--batchresponse_8--\r\n";
        var response = new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.Remove("Content-Type");
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/mixed; boundary=batchresponse_8");
        return response;
    }
}
