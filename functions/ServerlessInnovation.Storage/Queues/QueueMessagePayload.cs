namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// A received or peeked message's text as the queue stores it, and its payload decoded per the client's encoding. A text
/// that is not valid for the encoding (not base64 for a Base64 client) is kept, so the message can still be moved to the
/// poison queue as it is.
/// </summary>
internal sealed class QueueMessagePayload
{
    private readonly BinaryData? _body;
    private string? _text;

    public QueueMessagePayload(string storedText, QueueMessageEncoding encoding)
    {
        StoredText = storedText;
        _body = QueueMessageText.Decode(storedText, encoding);
        _text = encoding == QueueMessageEncoding.None ? storedText : null;
    }

    public string StoredText { get; }

    public bool DecodingFailed => _body is null;

    public BinaryData Body => _body ?? throw new FormatException(
        "The message text is not valid base64, so a client with QueueMessageEncoding.Base64 cannot decode it. The Functions host " +
        "moves such a message to the poison queue; QueueClient.MovePoisonMessageAsync does the same.");

    public string Text => _text ??= Body.ToString();
}
