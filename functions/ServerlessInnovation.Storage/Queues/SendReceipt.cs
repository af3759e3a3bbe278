namespace ServerlessInnovation.Storage.Queues;

/// <summary>What the service reports for a message it has just queued (<see cref="QueueClient.SendMessageAsync(string, TimeSpan?, TimeSpan?, CancellationToken)"/>).</summary>
public sealed class SendReceipt
{
    internal SendReceipt(string messageId, string popReceipt, DateTimeOffset insertionTime, DateTimeOffset expirationTime, DateTimeOffset timeNextVisible)
    {
        MessageId = messageId;
        PopReceipt = popReceipt;
        InsertionTime = insertionTime;
        ExpirationTime = expirationTime;
        TimeNextVisible = timeNextVisible;
    }

    /// <summary>The message's ID, unique in its queue.</summary>
    public string MessageId { get; }

    /// <summary>A receipt that lets the sender delete or update the message until it is received by someone else.</summary>
    public string PopReceipt { get; }

    /// <summary>When the message was queued.</summary>
    public DateTimeOffset InsertionTime { get; }

    /// <summary>When the message expires and is removed; 31 Dec 9999 for a message that never expires.</summary>
    public DateTimeOffset ExpirationTime { get; }

    /// <summary>When the message becomes visible to receivers: the insertion time plus the visibility timeout sent.</summary>
    public DateTimeOffset TimeNextVisible { get; }
}
