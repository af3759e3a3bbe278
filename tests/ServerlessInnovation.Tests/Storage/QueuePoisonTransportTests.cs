using System.Net;
using Azure;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Queues;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>The poison move's requests, their order, and what a failure between them leaves behind.</summary>
public sealed class QueuePoisonTransportTests
{
    private const string Endpoint = "http://127.0.0.1:10001/devstoreaccount1";

    private const string Received =
        "<QueueMessagesList><QueueMessage><MessageId>m1</MessageId><InsertionTime>Sun, 22 Nov 2026 01:55:28 GMT</InsertionTime>" +
        "<ExpirationTime>Sun, 29 Nov 2026 01:55:28 GMT</ExpirationTime><PopReceipt>r1</PopReceipt>" +
        "<TimeNextVisible>Sun, 22 Nov 2026 01:56:28 GMT</TimeNextVisible><DequeueCount>5</DequeueCount>" +
        "<MessageText>{not base64 &amp; not &lt;decodable&gt;}</MessageText></QueueMessage></QueueMessagesList>";

    private const string Sent =
        "<QueueMessagesList><QueueMessage><MessageId>copy</MessageId><InsertionTime>Sun, 22 Nov 2026 01:56:00 GMT</InsertionTime>" +
        "<ExpirationTime>Sun, 29 Nov 2026 01:56:00 GMT</ExpirationTime><PopReceipt>c1</PopReceipt>" +
        "<TimeNextVisible>Sun, 22 Nov 2026 01:56:00 GMT</TimeNextVisible></QueueMessage></QueueMessagesList>";

    private static HttpResponseMessage Error(HttpStatusCode status, string code) =>
        StubHttpHandler.Response(status, $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>Failed.</Message></Error>", ("x-ms-error-code", code));

    /// <summary>A receive, then a first move: create the poison queue, copy, delete.</summary>
    private static StubHttpHandler ReceiveAndMoveOnce() => new StubHttpHandler()
        .Then(HttpStatusCode.OK, Received)
        .Then(HttpStatusCode.Created)
        .Then(HttpStatusCode.Created, Sent)
        .Then(HttpStatusCode.NoContent);

    private static async Task<QueueMessage> ReceiveAsync(QueueClient queue) => Assert.Single((await queue.ReceiveMessagesAsync()).Value);

    private static string Describe(RecordedRequest request) => $"{request.Method} {request.Uri.PathAndQuery}";

    [Fact]
    public async Task MovingCopiesTheStoredTextToThePoisonQueueBeforeDeletingIt()
    {
        var handler = ReceiveAndMoveOnce();
        var queue = QueueClientTransportTests.Queue(handler);
        var message = await ReceiveAsync(queue);

        var receipt = await queue.MovePoisonMessageAsync(message);

        Assert.True(message.DecodingFailed);
        Assert.Equal("myqueue-poison", queue.PoisonQueueName);
        Assert.Equal(
            ["PUT /devstoreaccount1/myqueue-poison", "POST /devstoreaccount1/myqueue-poison/messages", "DELETE /devstoreaccount1/myqueue/messages/m1?popreceipt=r1"],
            handler.Requests.Skip(1).Select(Describe));
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>{not base64 &amp; not &lt;decodable&gt;}</MessageText></QueueMessage>",
            handler.Requests[2].Body);
        Assert.Equal(("copy", "c1"), (receipt.MessageId, receipt.PopReceipt));
    }

    [Fact]
    public async Task ThePoisonQueueIsCreatedOnlyOnce()
    {
        var handler = ReceiveAndMoveOnce()
            .Then(HttpStatusCode.OK, Received)
            .Then(HttpStatusCode.Created, Sent)
            .Then(HttpStatusCode.NoContent);
        var queue = QueueClientTransportTests.Queue(handler);

        await queue.MovePoisonMessageAsync(await ReceiveAsync(queue));
        await queue.MovePoisonMessageAsync(await ReceiveAsync(queue));

        Assert.Equal(
            ["GET", "PUT", "POST", "DELETE", "GET", "POST", "DELETE"],
            handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task AFailedCopyLeavesTheMessageInItsQueue()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.OK, Received)
            .Then(HttpStatusCode.Created)
            .Then(_ => Error(HttpStatusCode.InternalServerError, "InternalError"));
        var queue = QueueClientTransportTests.Queue(handler);
        var message = await ReceiveAsync(queue);

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => queue.MovePoisonMessageAsync(message));

        Assert.Equal(500, exception.Status);
        Assert.Equal(["GET", "PUT", "POST"], handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task APoisonQueueDeletedSinceIsCreatedAgain()
    {
        var handler = ReceiveAndMoveOnce()
            .Then(_ => Error(HttpStatusCode.NotFound, "QueueNotFound"))
            .Then(HttpStatusCode.Created)
            .Then(HttpStatusCode.Created, Sent)
            .Then(HttpStatusCode.NoContent);
        var queue = QueueClientTransportTests.Queue(handler);
        var message = await ReceiveAsync(queue);
        await queue.MovePoisonMessageAsync(message);

        await queue.MovePoisonMessageAsync(message);

        Assert.Equal(["POST", "PUT", "POST", "DELETE"], handler.Requests.Skip(4).Select(r => r.Method));
    }

    [Fact]
    public async Task AQueueWhosePoisonQueueNameWouldBeTooLongIsRefusedBeforeSending()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, Received);
        var fits = QueueClientTransportTests.Queue(handler, name: new string('q', 56));
        var tooLong = QueueClientTransportTests.Queue(handler, name: new string('q', 57));
        var message = await ReceiveAsync(tooLong);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => tooLong.MovePoisonMessageAsync(message));

        Assert.Equal(63, fits.PoisonQueueName.Length);
        Assert.Contains("at most 56 characters", exception.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }
}
