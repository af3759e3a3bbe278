namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// A message seen without being received (<see cref="QueueClient.PeekMessagesAsync"/>): it stays visible, its dequeue count
/// is unchanged, and it comes without a pop receipt, so it cannot be deleted or updated from here.
/// </summary>
public sealed class PeekedMessage
{
    private readonly QueueMessagePayload _payload;

    internal PeekedMessage(string messageId, long dequeueCount, DateTimeOffset insertedOn, DateTimeOffset expiresOn, QueueMessagePayload payload)
    {
        MessageId = messageId;
        DequeueCount = dequeueCount;
        InsertedOn = insertedOn;
        ExpiresOn = expiresOn;
        _payload = payload;
    }

    /// <summary>The message's ID, unique in its queue.</summary>
    public string MessageId { get; }

    /// <summary>How many times the message has been received; peeking does not count.</summary>
    public long DequeueCount { get; }

    /// <summary>When the message was queued.</summary>
    public DateTimeOffset InsertedOn { get; }

    /// <summary>When the message expires; 31 Dec 9999 for a message that never expires.</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <inheritdoc cref="QueueMessage.Body"/>
    public BinaryData Body => _payload.Body;

    /// <inheritdoc cref="QueueMessage.MessageText"/>
    public string MessageText => _payload.Text;

    /// <inheritdoc cref="QueueMessage.DecodingFailed"/>
    public bool DecodingFailed => _payload.DecodingFailed;
}
