namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// A received message (<see cref="QueueClient.ReceiveMessagesAsync"/>): invisible to other receivers until
/// <see cref="NextVisibleOn"/>, and deletable or updatable with its <see cref="PopReceipt"/> until then. Delete it once it is
/// processed, or it is received again, with a higher <see cref="DequeueCount"/>.
/// </summary>
/// <remarks>
/// The Azure Functions queue trigger hands these values to a function as the metadata <c>Id</c>, <c>PopReceipt</c>,
/// <c>DequeueCount</c>, <c>InsertionTime</c>, <c>ExpirationTime</c> and <c>NextVisibleTime</c>.
/// </remarks>
public sealed class QueueMessage
{
    private readonly QueueMessagePayload _payload;

    internal QueueMessage(
        string messageId,
        string popReceipt,
        long dequeueCount,
        DateTimeOffset insertedOn,
        DateTimeOffset expiresOn,
        DateTimeOffset nextVisibleOn,
        QueueMessagePayload payload)
    {
        MessageId = messageId;
        PopReceipt = popReceipt;
        DequeueCount = dequeueCount;
        InsertedOn = insertedOn;
        ExpiresOn = expiresOn;
        NextVisibleOn = nextVisibleOn;
        _payload = payload;
    }

    /// <summary>The message's ID, unique in its queue.</summary>
    public string MessageId { get; }

    /// <summary>The receipt of this receive, needed to delete or update the message; it stops working once the message is received again or updated.</summary>
    public string PopReceipt { get; }

    /// <summary>How many times the message has been received, this time included: 1 on the first receive.</summary>
    public long DequeueCount { get; }

    /// <summary>When the message was queued.</summary>
    public DateTimeOffset InsertedOn { get; }

    /// <summary>When the message expires; 31 Dec 9999 for a message that never expires.</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>When the message becomes visible to receivers again unless it is deleted or updated first.</summary>
    public DateTimeOffset NextVisibleOn { get; }

    /// <summary>The payload, decoded per the client's <see cref="QueueClientOptions.MessageEncoding"/>.</summary>
    /// <exception cref="FormatException"><see cref="DecodingFailed"/> is true.</exception>
    public BinaryData Body => _payload.Body;

    /// <summary>The payload as UTF-8 text: for a Functions queue trigger, the function's input.</summary>
    /// <exception cref="FormatException"><see cref="DecodingFailed"/> is true.</exception>
    public string MessageText => _payload.Text;

    /// <summary>
    /// True when the stored text is not valid for the client's encoding (not base64 for
    /// <see cref="QueueMessageEncoding.Base64"/>), so there is no <see cref="Body"/>. The Functions host moves such a message
    /// to the poison queue at once; <see cref="QueueClient.MovePoisonMessageAsync(QueueMessage, CancellationToken)"/> does the same.
    /// </summary>
    public bool DecodingFailed => _payload.DecodingFailed;

    /// <summary>The text as the queue stores it, before decoding: what a move to the poison queue copies.</summary>
    internal string StoredText => _payload.StoredText;
}
