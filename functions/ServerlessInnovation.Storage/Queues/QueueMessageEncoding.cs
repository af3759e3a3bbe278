namespace ServerlessInnovation.Storage.Queues;

/// <summary>How a message's payload becomes the text the queue stores, and how that text is read back.</summary>
public enum QueueMessageEncoding
{
    /// <summary>
    /// The payload is UTF-8 text, stored as it is (XML-escaped on the wire): the Functions host setting
    /// <c>extensions.queues.messageEncoding = none</c>. It must be valid UTF-8 of XML characters, at most 65,536 bytes.
    /// </summary>
    None = 0,

    /// <summary>
    /// The payload's bytes are stored as base64 text: what the Azure Functions queue trigger decodes by default. Any bytes
    /// fit, but base64 grows them by 4/3, so a payload is at most 49,152 bytes.
    /// </summary>
    Base64 = 1,
}
