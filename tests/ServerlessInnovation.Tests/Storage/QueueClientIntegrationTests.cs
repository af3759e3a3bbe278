using System.Text;
using Azure;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>The queue client against the shared Azurite, one fresh queue per test.</summary>
public sealed class QueueClientIntegrationTests
{
    private const string Json = """{"applicationId":"A-2026-001","title":"杭州市科技创新券申请","topic":"R&D <AI>","amount":50000}""";

    internal static async Task<QueueServiceClient> ServiceAsync(QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var azurite = await Azurite.Shared;
        return new QueueServiceClient(
            azurite.QueueEndpoint,
            new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey),
            new QueueClientOptions { MessageEncoding = encoding });
    }

    internal static string UniqueQueueName() => Azurite.UniqueName("q").ToLowerInvariant();

    internal static async Task<QueueClient> NewQueueAsync(QueueMessageEncoding encoding = QueueMessageEncoding.Base64, string? name = null)
    {
        var queue = (await ServiceAsync(encoding)).GetQueueClient(name ?? UniqueQueueName());
        Assert.True(await queue.CreateIfNotExistsAsync());
        return queue;
    }

    [Fact]
    public async Task CreatingAQueueTwiceReturnsFalseTheSecondTime()
    {
        var queue = (await ServiceAsync()).GetQueueClient(UniqueQueueName());

        Assert.True(await queue.CreateIfNotExistsAsync());
        Assert.False(await queue.CreateIfNotExistsAsync());
        Assert.True(await queue.DeleteIfExistsAsync());
        Assert.False(await queue.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task AJsonPayloadRoundTripsInBase64AsTheFunctionsTriggerDecodesIt()
    {
        var queue = await NewQueueAsync();
        var plainView = (await ServiceAsync(QueueMessageEncoding.None)).GetQueueClient(queue.Name);

        var sent = (await queue.SendMessageAsync(Json)).Value;
        var stored = Assert.Single((await plainView.PeekMessagesAsync()).Value);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Json)), stored.MessageText);
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(Json, received.MessageText);
        Assert.Equal(Encoding.UTF8.GetBytes(Json), received.Body.ToArray());
        Assert.Equal(sent.InsertionTime, received.InsertedOn);
        Assert.Equal(sent.ExpirationTime, received.ExpiresOn);
    }

    [Fact]
    public async Task AJsonPayloadRoundTripsAsPlainTextWithoutEncoding()
    {
        var queue = await NewQueueAsync(QueueMessageEncoding.None);
        var base64View = (await ServiceAsync()).GetQueueClient(queue.Name);
        var text = Json + "\r\n\ttab & \"quotes\" 🚀";

        await queue.SendMessageAsync(text);
        var peekedAsBase64 = Assert.Single((await base64View.PeekMessagesAsync()).Value);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal(text, received.MessageText);
        Assert.Equal(Encoding.UTF8.GetBytes(text), received.Body.ToArray());
        Assert.True(peekedAsBase64.DecodingFailed);
    }

    [Fact]
    public async Task ADeletedMessageIsGone()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("done");
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        var deleted = await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
        var again = await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, again.Status);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task UpdatingGivesANewPopReceiptAndTheOldOneStopsWorking()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("first draft");
        var received = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);

        var updated = (await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero, new BinaryData("second draft"))).Value;
        var staleUpdate = await Assert.ThrowsAsync<RequestFailedException>(
            () => queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.FromSeconds(30)));
        var staleDelete = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));
        var again = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.NotEqual(received.PopReceipt, updated.PopReceipt);
        Assert.True(updated.NextVisibleOn < received.NextVisibleOn);
        Assert.Equal((400, "PopReceiptMismatch"), (staleUpdate.Status, staleUpdate.ErrorCode));
        Assert.Equal((400, "PopReceiptMismatch"), (staleDelete.Status, staleDelete.ErrorCode));
        Assert.Equal((received.MessageId, 2L, "second draft"), (again.MessageId, again.DequeueCount, again.MessageText));
    }

    [Fact]
    public async Task PeekingLeavesTheDequeueCountAlone()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("look, don't touch");

        var first = Assert.Single((await queue.PeekMessagesAsync()).Value);
        var second = Assert.Single((await queue.PeekMessagesAsync(32)).Value);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal((0L, 0L, 1L), (first.DequeueCount, second.DequeueCount, received.DequeueCount));
        Assert.Equal("look, don't touch", second.MessageText);
    }

    [Fact]
    public async Task TheApproximateCountCountsSentMessages()
    {
        var queue = await NewQueueAsync();
        for (var i = 0; i < 3; i++)
        {
            await queue.SendMessageAsync($"message {i}");
        }

        var properties = (await queue.GetPropertiesAsync()).Value;

        Assert.Equal(3, properties.ApproximateMessagesCount);
        Assert.Empty(properties.Metadata);
    }

    [Fact]
    public async Task OneReceiveTakesAtMostThirtyTwoOfFortyMessages()
    {
        var queue = await NewQueueAsync();
        for (var i = 0; i < 40; i++)
        {
            await queue.SendMessageAsync($"message {i}");
        }

        var first = (await queue.ReceiveMessagesAsync(32)).Value;
        var rest = (await queue.ReceiveMessagesAsync(32)).Value;

        Assert.Equal(32, first.Length);
        Assert.Equal(8, rest.Length);
        Assert.Equal(40, first.Concat(rest).Select(m => m.MessageText).Distinct().Count());
    }

    [Theory]
    [InlineData(QueueMessageEncoding.Base64, 49_152)]
    [InlineData(QueueMessageEncoding.None, 65_536)]
    public async Task AMessageAtTheSizeLimitIsAcceptedAndOneByteMoreIsRefusedBeforeSending(QueueMessageEncoding encoding, int limit)
    {
        var queue = await NewQueueAsync(encoding);
        var payload = Encoding.ASCII.GetBytes(new string('x', limit + 1));

        await queue.SendMessageAsync(new BinaryData(payload.AsMemory(0, limit)));
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new BinaryData(payload)));

        Assert.Equal("message", exception.ParamName);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        Assert.Equal(limit, received.Body.ToMemory().Length);
    }

    [Fact]
    public async Task AMessageCanBeSentToNeverExpire()
    {
        var queue = await NewQueueAsync();

        var sent = (await queue.SendMessageAsync("keep", timeToLive: TimeSpan.FromSeconds(-1))).Value;
        var peeked = Assert.Single((await queue.PeekMessagesAsync()).Value);

        Assert.Equal(9999, sent.ExpirationTime.Year);
        Assert.Equal(sent.ExpirationTime, peeked.ExpiresOn);
    }

    [Fact]
    public async Task AnEmptyQueueReceivesAnEmptyArray()
    {
        var queue = await NewQueueAsync();

        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task AMissingQueueIsA404QueueNotFound()
    {
        var queue = (await ServiceAsync()).GetQueueClient(UniqueQueueName());

        var receive = await Assert.ThrowsAsync<RequestFailedException>(() => queue.ReceiveMessagesAsync());
        var send = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("nowhere"));

        Assert.Equal((404, "QueueNotFound"), (receive.Status, receive.ErrorCode));
        Assert.Equal((404, "QueueNotFound"), (send.Status, send.ErrorCode));
    }

    [Fact]
    public async Task APoisonMessageMovesWithItsTextToThePoisonQueue()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync(Json);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        var receipt = await queue.MovePoisonMessageAsync(received);

        var poisonQueue = (await ServiceAsync()).GetQueueClient(queue.PoisonQueueName);
        var poisoned = Assert.Single((await poisonQueue.PeekMessagesAsync(32)).Value);
        Assert.Equal($"{queue.Name}-poison", poisonQueue.Name);
        Assert.Equal((receipt.MessageId, Json), (poisoned.MessageId, poisoned.MessageText));
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AMessageThatCannotBeDecodedMovesToThePoisonQueueUnchanged()
    {
        var queue = await NewQueueAsync();
        var plainView = (await ServiceAsync(QueueMessageEncoding.None)).GetQueueClient(queue.Name);
        await plainView.SendMessageAsync("{\"not\":\"base64\"}");
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        await queue.MovePoisonMessageAsync(received);
        await plainView.SendMessageAsync("second");
        await queue.MovePoisonMessageAsync(Assert.Single((await queue.ReceiveMessagesAsync()).Value));

        var poisoned = (await (await ServiceAsync(QueueMessageEncoding.None)).GetQueueClient(queue.PoisonQueueName).PeekMessagesAsync(32)).Value;
        Assert.True(received.DecodingFailed);
        Assert.Equal(["{\"not\":\"base64\"}", "second"], poisoned.Select(m => m.MessageText));
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task AnAzuriteConnectionStringReachesTheQueueService()
    {
        var azurite = await Azurite.Shared;
        var service = StorageConnection.Parse(azurite.ConnectionString).GetQueueServiceClient();
        var queue = service.GetQueueClient(UniqueQueueName());

        Assert.True(await queue.CreateIfNotExistsAsync());
        Assert.Equal(azurite.QueueEndpoint, service.Uri);
    }
}
