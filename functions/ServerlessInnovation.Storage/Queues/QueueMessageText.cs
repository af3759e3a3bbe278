using System.Buffers.Text;
using System.Text;
using System.Xml;
using Azure.Core;

namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// Turns a payload into the text a queue stores and back, per <see cref="QueueMessageEncoding"/>, and writes that text as
/// the body of Put Message and Update Message. The size limit applies to the stored text, so it is checked here.
/// </summary>
internal static class QueueMessageText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Entitize keeps a carriage return as &#xD;, which an XML parser would otherwise turn into a line feed.
    private static readonly XmlWriterSettings WriterSettings = new() { Encoding = StrictUtf8, NewLineHandling = NewLineHandling.Entitize };

    /// <summary>The text to store for a text payload: its UTF-8 bytes in base64, or the text itself.</summary>
    public static string Encode(string text, QueueMessageEncoding encoding, string paramName)
    {
        ArgumentNullException.ThrowIfNull(text, paramName);
        if (encoding == QueueMessageEncoding.None)
        {
            return CheckPlainText(text, paramName);
        }
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException exception)
        {
            throw new ArgumentException("The message text contains an unpaired surrogate, which is not text UTF-8 can carry.", paramName, exception);
        }
        return ToBase64(bytes, paramName);
    }

    /// <summary>The text to store for a payload: its bytes in base64, or the bytes read as UTF-8 text.</summary>
    public static string Encode(BinaryData payload, QueueMessageEncoding encoding, string paramName)
    {
        ArgumentNullException.ThrowIfNull(payload, paramName);
        if (encoding == QueueMessageEncoding.Base64)
        {
            return ToBase64(payload.ToMemory().Span, paramName);
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(payload.ToMemory().Span);
        }
        catch (DecoderFallbackException exception)
        {
            throw new ArgumentException(
                "With QueueMessageEncoding.None the payload must be UTF-8 text; use QueueMessageEncoding.Base64 for binary payloads.",
                paramName, exception);
        }
        return CheckPlainText(text, paramName);
    }

    /// <summary>The payload of a stored text, or null when it is not valid for the encoding (not base64 for <see cref="QueueMessageEncoding.Base64"/>).</summary>
    public static BinaryData? Decode(string storedText, QueueMessageEncoding encoding)
    {
        if (encoding == QueueMessageEncoding.None)
        {
            return BinaryData.FromString(storedText);
        }
        return Base64.IsValid(storedText) ? new BinaryData(Convert.FromBase64String(storedText)) : null;
    }

    /// <summary><c>&lt;?xml …?&gt;&lt;QueueMessage&gt;&lt;MessageText&gt;…&lt;/MessageText&gt;&lt;/QueueMessage&gt;</c>, the text XML-escaped.</summary>
    public static RequestContent ToRequestContent(string storedText)
    {
        var buffer = new MemoryStream(storedText.Length + 96);
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            writer.WriteStartElement("QueueMessage");
            writer.WriteElementString("MessageText", storedText);
            writer.WriteEndElement();
        }
        return RequestContent.Create(new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static string ToBase64(ReadOnlySpan<byte> payload, string paramName)
    {
        if (payload.Length > QueueLimits.MaxBase64PayloadBytes)
        {
            throw new ArgumentException(
                $"The payload is {payload.Length} bytes; in base64 a queue message carries at most {QueueLimits.MaxBase64PayloadBytes} " +
                $"(its text is limited to {QueueLimits.MaxMessageTextBytes} characters, 64 KiB).",
                paramName);
        }
        return Convert.ToBase64String(payload);
    }

    /// <summary>Plain text must consist of XML characters and fit in 64 KiB of UTF-8.</summary>
    private static string CheckPlainText(string text, string paramName)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                continue;
            }
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                i++;
                continue;
            }
            throw new ArgumentException(
                $"The message text has U+{(int)c:X4} at index {i}, which XML cannot carry; use QueueMessageEncoding.Base64 for such payloads.",
                paramName);
        }
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > QueueLimits.MaxMessageTextBytes)
        {
            throw new ArgumentException(
                $"The message text is {size} bytes in UTF-8; a queue message carries at most {QueueLimits.MaxMessageTextBytes} (64 KiB).",
                paramName);
        }
        return text;
    }
}
