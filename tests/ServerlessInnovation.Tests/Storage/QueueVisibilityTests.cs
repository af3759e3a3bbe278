using System.Diagnostics;
using Azure;
using ServerlessInnovation.Storage.Queues;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>
/// Visibility timeouts on the shared Azurite, which the queue listener's retries and poison counting rest on. The timeouts
/// are one or two seconds, so each test waits about that long; the emulator keeps its own clock.
/// </summary>
public sealed class QueueVisibilityTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>Receives the queue's one message as soon as it is visible.</summary>
    private static async Task<QueueMessage> ReceiveWhenVisibleAsync(QueueClient queue, TimeSpan visibilityTimeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            if ((await queue.ReceiveMessagesAsync(1, visibilityTimeout)).Value is [var message])
            {
                return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The message did not become visible within 10 seconds.");
    }

    [Fact]
    public async Task AReceivedMessageStaysInvisibleForItsVisibilityTimeout()
    {
        var queue = await QueueClientIntegrationTests.NewQueueAsync();
        await queue.SendMessageAsync("work");

        var first = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(2))).Value);
        var atOnce = (await queue.ReceiveMessagesAsync(32)).Value;
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var halfASecondLater = (await queue.PeekMessagesAsync(32)).Value;
        var again = await ReceiveWhenVisibleAsync(queue, TimeSpan.FromSeconds(30));

        Assert.Empty(atOnce);
        Assert.Empty(halfASecondLater);
        Assert.Equal((first.MessageId, 2L), (again.MessageId, again.DequeueCount));
        // Whole seconds on the wire: received up to a second after insertion, plus the 2 s.
        Assert.InRange(first.NextVisibleOn - first.InsertedOn, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task TheDequeueCountGrowsWithEachReceiveWhoseTimeoutPasses()
    {
        var queue = await QueueClientIntegrationTests.NewQueueAsync();
        await queue.SendMessageAsync("flaky");

        var counts = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            counts.Add((await ReceiveWhenVisibleAsync(queue, OneSecond)).DequeueCount);
        }

        Assert.Equal([1L, 2L, 3L], counts);
    }

    [Fact]
    public async Task AMessageReceivedAgainCannotBeDeletedWithTheEarlierPopReceipt()
    {
        var queue = await QueueClientIntegrationTests.NewQueueAsync();
        await queue.SendMessageAsync("slow job");
        var first = Assert.Single((await queue.ReceiveMessagesAsync(1, OneSecond)).Value);
        var second = await ReceiveWhenVisibleAsync(queue, TimeSpan.FromSeconds(30));

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt));
        var deleted = await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt);

        Assert.Equal((400, "PopReceiptMismatch"), (stale.Status, stale.ErrorCode));
        Assert.Equal(204, deleted.Status);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task AMessageSentWithAVisibilityTimeoutAppearsOnlyAfterIt()
    {
        var queue = await QueueClientIntegrationTests.NewQueueAsync();

        var sent = (await queue.SendMessageAsync("later", OneSecond)).Value;
        var atOnce = (await queue.PeekMessagesAsync()).Value;
        var received = await ReceiveWhenVisibleAsync(queue, TimeSpan.FromSeconds(30));

        Assert.Empty(atOnce);
        Assert.Equal(sent.InsertionTime.AddSeconds(1), sent.TimeNextVisible);
        Assert.Equal((sent.MessageId, 1L), (received.MessageId, received.DequeueCount));
    }
}
