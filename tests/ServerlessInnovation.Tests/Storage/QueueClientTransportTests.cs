using System.Net;
using System.Text;
using Azure;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Queues;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>What goes on the wire for each queue operation, and how answers become results and exceptions.</summary>
public sealed class QueueClientTransportTests
{
    private const string Endpoint = "http://127.0.0.1:10001/devstoreaccount1";
    private const string MessageId = "800ae4b3-bdd2-4c08-badd-f08e5a34b865";

    // Azure's pop receipts are base64, so they hold '+', '/' and '='.
    private const string PopReceipt = "AgAAAAMAAAAAAAAA+/Zz1w==";
    private const string EncodedPopReceipt = "AgAAAAMAAAAAAAAA%2B%2FZz1w%3D%3D";

    private static readonly DateTimeOffset Inserted = new(2026, 11, 22, 1, 55, 28, TimeSpan.Zero);

    internal static QueueClient Queue(StubHttpHandler handler, QueueMessageEncoding encoding = QueueMessageEncoding.Base64, string name = "myqueue") =>
        new QueueServiceClient(
                new Uri(Endpoint),
                new StorageSharedKeyCredential(TestKeys.AccountName, TestKeys.AccountKey),
                handler.Configure(new QueueClientOptions { MessageEncoding = encoding }))
            .GetQueueClient(name);

    private static string SendReply(string messageId = MessageId) =>
        $"<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList><QueueMessage><MessageId>{messageId}</MessageId>" +
        "<InsertionTime>Sun, 22 Nov 2026 01:55:28 GMT</InsertionTime><ExpirationTime>Sun, 29 Nov 2026 01:55:28 GMT</ExpirationTime>" +
        $"<PopReceipt>{PopReceipt}</PopReceipt><TimeNextVisible>Sun, 22 Nov 2026 01:55:38 GMT</TimeNextVisible></QueueMessage></QueueMessagesList>";

    private static string ReceivedMessage(string messageId, int dequeueCount, string text) =>
        $"<QueueMessage><MessageId>{messageId}</MessageId><InsertionTime>Sun, 22 Nov 2026 01:55:28 GMT</InsertionTime>" +
        $"<ExpirationTime>Sun, 29 Nov 2026 01:55:28 GMT</ExpirationTime><PopReceipt>{PopReceipt}</PopReceipt>" +
        $"<TimeNextVisible>Sun, 22 Nov 2026 01:56:28 GMT</TimeNextVisible><DequeueCount>{dequeueCount}</DequeueCount>" +
        $"<MessageText>{text}</MessageText></QueueMessage>";

    private static string List(params string[] messages) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<QueueMessagesList>\n  " + string.Join("\n  ", messages) + "\n</QueueMessagesList>";

    private static HttpResponseMessage Error(HttpStatusCode status, string code) => StubHttpHandler.Response(
        status,
        $"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Error><Code>{code}</Code><Message>Failed.\nRequestId:1\nTime:2026-11-22T01:55:28.000Z</Message></Error>",
        ("x-ms-error-code", code));

    [Fact]
    public async Task SendMessagePostsTheBase64TextAndReadsTheReceipt()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created, SendReply());

        var receipt = (await Queue(handler).SendMessageAsync("hello", TimeSpan.FromSeconds(10), TimeSpan.FromHours(1))).Value;

        var request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"{Endpoint}/myqueue/messages?visibilitytimeout=10&messagettl=3600", request.Uri.AbsoluteUri);
        Assert.Equal("2025-11-05", request.Header("x-ms-version"));
        Assert.Equal("application/xml", request.Header("Content-Type"));
        Assert.StartsWith("SharedKey devstoreaccount1:", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>aGVsbG8=</MessageText></QueueMessage>", request.Body);
        Assert.Equal(MessageId, receipt.MessageId);
        Assert.Equal(PopReceipt, receipt.PopReceipt);
        Assert.Equal(Inserted, receipt.InsertionTime);
        Assert.Equal(Inserted.AddDays(7), receipt.ExpirationTime);
        Assert.Equal(Inserted.AddSeconds(10), receipt.TimeNextVisible);
    }

    [Fact]
    public async Task SendMessageWithoutEncodingSendsTheTextXmlEscaped()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created, SendReply());

        await Queue(handler, QueueMessageEncoding.None).SendMessageAsync(new BinaryData("""{"topic":"R&D <AI>"}"""));

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"{Endpoint}/myqueue/messages", request.Uri.AbsoluteUri);
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>{\"topic\":\"R&amp;D &lt;AI&gt;\"}</MessageText></QueueMessage>",
            request.Body);
    }

    [Fact]
    public async Task AMessageThatNeverExpiresIsSentWithTimeToLiveMinusOne()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created, SendReply());

        await Queue(handler).SendMessageAsync("forever", timeToLive: TimeSpan.FromSeconds(-1));

        Assert.Equal("?messagettl=-1", Assert.Single(handler.Requests).Uri.Query);
    }

    [Fact]
    public async Task ReceiveMessagesAsksForCountAndVisibilityAndReadsEachMessage()
    {
        const string SecondId = "1f0b2c4e-0000-4000-8000-000000000002";
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, List(
            ReceivedMessage(MessageId, 1, Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"title":"科技创新券"}"""))),
            ReceivedMessage(SecondId, 3, "aGVsbG8=")));

        var messages = (await Queue(handler).ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60))).Value;

        var request = Assert.Single(handler.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"{Endpoint}/myqueue/messages?numofmessages=32&visibilitytimeout=60", request.Uri.AbsoluteUri);
        Assert.Equal(2, messages.Length);
        var first = messages[0];
        Assert.Equal(MessageId, first.MessageId);
        Assert.Equal(PopReceipt, first.PopReceipt);
        Assert.Equal(1, first.DequeueCount);
        Assert.Equal(Inserted, first.InsertedOn);
        Assert.Equal(Inserted.AddDays(7), first.ExpiresOn);
        Assert.Equal(Inserted.AddMinutes(1), first.NextVisibleOn);
        Assert.Equal(TimeSpan.Zero, first.InsertedOn.Offset);
        Assert.False(first.DecodingFailed);
        Assert.Equal("""{"title":"科技创新券"}""", first.MessageText);
        Assert.Equal(Encoding.UTF8.GetBytes("""{"title":"科技创新券"}"""), first.Body.ToArray());
        Assert.Equal((SecondId, 3L, "hello"), (messages[1].MessageId, messages[1].DequeueCount, messages[1].MessageText));
    }

    [Fact]
    public async Task ReceiveWithoutVisibilityLeavesTheServiceDefault()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList />");

        var messages = (await Queue(handler).ReceiveMessagesAsync()).Value;

        Assert.Empty(messages);
        Assert.Equal("?numofmessages=1", Assert.Single(handler.Requests).Uri.Query);
    }

    [Fact]
    public async Task PlainTextMessagesAreReadUnescaped()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, List(ReceivedMessage(MessageId, 1, "R&amp;D &lt;AI&gt;&#xD;\n")));

        var message = Assert.Single((await Queue(handler, QueueMessageEncoding.None).ReceiveMessagesAsync()).Value);

        Assert.Equal("R&D <AI>\r\n", message.MessageText);
        Assert.Equal("R&D <AI>\r\n"u8.ToArray(), message.Body.ToArray());
    }

    [Fact]
    public async Task AMessageThatIsNotBase64IsReceivedButHasNoBody()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, List(ReceivedMessage(MessageId, 1, "{not base64}"), ReceivedMessage("second", 1, "aGVsbG8=")));

        var messages = (await Queue(handler).ReceiveMessagesAsync(2)).Value;

        Assert.True(messages[0].DecodingFailed);
        Assert.Throws<FormatException>(() => messages[0].Body);
        Assert.Throws<FormatException>(() => messages[0].MessageText);
        Assert.Equal(PopReceipt, messages[0].PopReceipt);
        Assert.False(messages[1].DecodingFailed);
        Assert.Equal("hello", messages[1].MessageText);
    }

    [Fact]
    public async Task PeekAsksForPeekOnlyAndReadsMessagesWithoutPopReceipts()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, List(
            $"<QueueMessage><MessageId>{MessageId}</MessageId><InsertionTime>Sun, 22 Nov 2026 01:55:28 GMT</InsertionTime>" +
            "<ExpirationTime>Fri, 31 Dec 9999 23:59:59 GMT</ExpirationTime><DequeueCount>2</DequeueCount><MessageText>aGVsbG8=</MessageText></QueueMessage>"));

        var message = Assert.Single((await Queue(handler).PeekMessagesAsync(3)).Value);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"{Endpoint}/myqueue/messages?peekonly=true&numofmessages=3", request.Uri.AbsoluteUri);
        Assert.Equal((MessageId, 2L, "hello"), (message.MessageId, message.DequeueCount, message.MessageText));
        Assert.Equal(Inserted, message.InsertedOn);
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), message.ExpiresOn);
    }

    [Fact]
    public async Task AReplyMissingAFieldIsAServiceError()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, List($"<QueueMessage><MessageId>{MessageId}</MessageId></QueueMessage>"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Queue(handler).ReceiveMessagesAsync());

        Assert.Equal("The Queue service's reply has no valid <PopReceipt> in a <QueueMessage>.", exception.Message);
    }

    [Fact]
    public async Task DeleteMessageSendsThePopReceiptUrlEncoded()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);

        var response = await Queue(handler).DeleteMessageAsync(MessageId, PopReceipt);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"{Endpoint}/myqueue/messages/{MessageId}?popreceipt={EncodedPopReceipt}", request.Uri.AbsoluteUri);
        Assert.Equal(204, response.Status);
    }

    [Fact]
    public async Task DeletingAMessageThatIsGoneIsNotAnErrorButAMissingQueueIs()
    {
        var handler = new StubHttpHandler()
            .Then(_ => Error(HttpStatusCode.NotFound, "MessageNotFound"))
            .Then(_ => Error(HttpStatusCode.NotFound, "QueueNotFound"));
        var queue = Queue(handler);

        var gone = await queue.DeleteMessageAsync(MessageId, PopReceipt);
        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(MessageId, PopReceipt));

        Assert.Equal(404, gone.Status);
        Assert.Equal((404, "QueueNotFound"), (exception.Status, exception.ErrorCode));
    }

    [Fact]
    public async Task DeletingWithAStalePopReceiptFails()
    {
        var handler = new StubHttpHandler().Then(_ => Error(HttpStatusCode.BadRequest, "PopReceiptMismatch"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Queue(handler).DeleteMessageAsync(MessageId, PopReceipt));

        Assert.Equal((400, "PopReceiptMismatch"), (exception.Status, exception.ErrorCode));
    }

    [Fact]
    public async Task UpdateMessagePutsTheVisibilityAndReturnsTheNewReceipt()
    {
        var handler = new StubHttpHandler().Then(
            HttpStatusCode.NoContent, null, ("x-ms-popreceipt", "AgAAAAMAAAAAAAAAnew=="), ("x-ms-time-next-visible", "Sun, 22 Nov 2026 01:56:28 GMT"));

        var receipt = (await Queue(handler).UpdateMessageAsync(MessageId, PopReceipt, TimeSpan.FromSeconds(60))).Value;

        var request = Assert.Single(handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal($"{Endpoint}/myqueue/messages/{MessageId}?popreceipt={EncodedPopReceipt}&visibilitytimeout=60", request.Uri.AbsoluteUri);
        Assert.Null(request.Body);
        Assert.Equal("AgAAAAMAAAAAAAAAnew==", receipt.PopReceipt);
        Assert.Equal(Inserted.AddMinutes(1), receipt.NextVisibleOn);
    }

    [Fact]
    public async Task UpdateMessageCanReplaceThePayload()
    {
        var handler = new StubHttpHandler().Then(
            HttpStatusCode.NoContent, null, ("x-ms-popreceipt", "new"), ("x-ms-time-next-visible", "Sun, 22 Nov 2026 01:55:28 GMT"));

        await Queue(handler).UpdateMessageAsync(MessageId, PopReceipt, TimeSpan.Zero, new BinaryData("hello"));

        var request = Assert.Single(handler.Requests);
        Assert.EndsWith("&visibilitytimeout=0", request.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>aGVsbG8=</MessageText></QueueMessage>", request.Body);
    }

    [Fact]
    public async Task GetPropertiesReadsTheCountAndMetadata()
    {
        var handler = new StubHttpHandler().Then(
            HttpStatusCode.OK, null, ("x-ms-approximate-messages-count", "42"), ("x-ms-meta-owner", "bureau"), ("x-ms-request-id", "1"));

        var properties = (await Queue(handler).GetPropertiesAsync()).Value;

        var request = Assert.Single(handler.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"{Endpoint}/myqueue?comp=metadata", request.Uri.AbsoluteUri);
        Assert.Equal(42, properties.ApproximateMessagesCount);
        Assert.Equal("bureau", Assert.Single(properties.Metadata).Value);
        Assert.Equal("bureau", properties.Metadata["Owner"]);
    }

    [Fact]
    public async Task CreateQueueReportsWhetherItWasNew()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.Created)
            .Then(HttpStatusCode.NoContent)
            .Then(_ => Error(HttpStatusCode.Conflict, "QueueAlreadyExists"))
            .Then(_ => Error(HttpStatusCode.BadRequest, "InvalidResourceName"));
        var queue = Queue(handler);

        Assert.True(await queue.CreateIfNotExistsAsync());
        Assert.False(await queue.CreateIfNotExistsAsync());
        Assert.False(await queue.CreateIfNotExistsAsync());
        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => queue.CreateIfNotExistsAsync());

        Assert.Equal("InvalidResourceName", exception.ErrorCode);
        Assert.All(handler.Requests, r => Assert.Equal(("PUT", $"{Endpoint}/myqueue"), (r.Method, r.Uri.AbsoluteUri)));
    }

    [Fact]
    public async Task DeleteQueueReportsWhetherItExisted()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.NoContent)
            .Then(_ => Error(HttpStatusCode.NotFound, "QueueNotFound"));
        var queue = Queue(handler);

        Assert.True(await queue.DeleteIfExistsAsync());
        Assert.False(await queue.DeleteIfExistsAsync());

        Assert.All(handler.Requests, r => Assert.Equal(("DELETE", $"{Endpoint}/myqueue"), (r.Method, r.Uri.AbsoluteUri)));
    }

    [Fact]
    public async Task PutMessageIsNotRetriedAfterA500()
    {
        var handler = new StubHttpHandler().Then(_ => Error(HttpStatusCode.InternalServerError, "InternalError"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Queue(handler).SendMessageAsync("once"));

        Assert.Equal(500, exception.Status);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task PutMessageIsRetriedAfterA503()
    {
        var handler = new StubHttpHandler()
            .Then(_ => Error(HttpStatusCode.ServiceUnavailable, "ServerBusy"))
            .Then(HttpStatusCode.Created, SendReply());

        var receipt = (await Queue(handler).SendMessageAsync("twice")).Value;

        Assert.Equal(MessageId, receipt.MessageId);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task UpdateMessageIsNotRetriedAfterA500ButReceiveIs()
    {
        var handler = new StubHttpHandler().Then(_ => Error(HttpStatusCode.InternalServerError, "InternalError"));
        var queue = Queue(handler);

        await Assert.ThrowsAsync<RequestFailedException>(() => queue.UpdateMessageAsync(MessageId, PopReceipt, TimeSpan.Zero));
        var afterUpdate = handler.Requests.Count;
        await Assert.ThrowsAsync<RequestFailedException>(() => queue.ReceiveMessagesAsync());

        Assert.Equal(1, afterUpdate);
        Assert.Equal(1 + 3, handler.Requests.Count);
    }

    [Fact]
    public async Task AMissingQueueIsA404QueueNotFound()
    {
        var handler = new StubHttpHandler().Then(_ => Error(HttpStatusCode.NotFound, "QueueNotFound"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Queue(handler).PeekMessagesAsync());

        Assert.Equal((404, "QueueNotFound"), (exception.Status, exception.ErrorCode));
    }

    [Fact]
    public async Task ArgumentsAreCheckedBeforeAnythingIsSent()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created, SendReply());
        var queue = Queue(handler);
        var tooLarge = new BinaryData(new byte[49_153]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(33));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(1, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.PeekMessagesAsync(33));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", timeToLive: TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync("x", TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(tooLarge));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('杭', 16_385)));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.UpdateMessageAsync(MessageId, PopReceipt, TimeSpan.Zero, tooLarge));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.UpdateMessageAsync(MessageId, PopReceipt, TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.UpdateMessageAsync("", PopReceipt, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.DeleteMessageAsync(MessageId, ""));
        await Assert.ThrowsAsync<ArgumentNullException>(() => queue.SendMessageAsync((string)null!));
        Assert.Throws<ArgumentException>(() => Queue(handler, name: "MyQueue"));
        Assert.Throws<ArgumentException>(() => Queue(handler, (QueueMessageEncoding)7));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task PlainTextMustBeXmlTextBeforeAnythingIsSent()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created, SendReply());
        var queue = Queue(handler, QueueMessageEncoding.None);

        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync("bell \u0007"));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new BinaryData(new byte[] { 0xFF })));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('x', 65_537)));
        await queue.SendMessageAsync(new string('x', 65_536));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task AccountKeyConnectionGivesASharedKeyQueueClient()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created);
        var connection = StorageConnection.Parse($"AccountName=acct;AccountKey={TestKeys.AccountKey}");

        var service = connection.GetQueueServiceClient(handler.Configure(new QueueClientOptions()));
        await service.GetQueueClient("applications").CreateIfNotExistsAsync();

        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), service.Uri);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://acct.queue.core.windows.net/applications", request.Uri.AbsoluteUri);
        Assert.StartsWith("SharedKey acct:", request.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SasConnectionGivesAQueueClientThatAppendsTheSignature()
    {
        const string Sas = "sv=2025-11-05&ss=q&srt=sco&sp=raup&sig=abc%3D";
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, "<QueueMessagesList />");
        var connection = StorageConnection.Parse($"QueueEndpoint=https://acct.queue.core.windows.net;SharedAccessSignature={Sas}");

        await connection.GetQueueServiceClient(handler.Configure(new QueueClientOptions())).GetQueueClient("applications").ReceiveMessagesAsync();

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"https://acct.queue.core.windows.net/applications/messages?numofmessages=1&{Sas}", request.Uri.AbsoluteUri);
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public void ConnectionWithoutAQueueEndpointCannotMakeAQueueClient()
    {
        var connection = StorageConnection.Parse($"TableEndpoint=https://tables.example.net;SharedAccessSignature=sv=1&sig=x");

        var exception = Assert.Throws<InvalidOperationException>(() => connection.GetQueueServiceClient());

        Assert.Contains("no queue endpoint", exception.Message, StringComparison.Ordinal);
        Assert.Equal(
            new Uri("https://acct.queue.core.windows.net"),
            StorageConnection.FromSettings("Storage", name => name == "Storage__accountName" ? "acct" : null).GetQueueServiceClient().Uri);
    }
}
