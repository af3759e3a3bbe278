using System.Globalization;
using System.Xml;
using Azure;

namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// Reads the <c>&lt;QueueMessagesList&gt;</c> reply of Put Message, Get Messages and Peek Messages in one forward pass over
/// the response stream: <c>&lt;QueueMessagesList&gt;&lt;QueueMessage&gt;&lt;MessageId&gt;…&lt;/MessageId&gt;…&lt;/QueueMessage&gt;…</c>.
/// A reply that is not that shape throws <see cref="RequestFailedException"/>.
/// </summary>
internal static class QueueMessagesReply
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Each <c>&lt;QueueMessage&gt;</c>, made into a <typeparamref name="T"/> from its child elements.</summary>
    public static T[] Read<T>(Response response, Func<Fields, T> create)
    {
        var messages = new List<T>();
        try
        {
            using var reader = XmlReader.Create(response.ContentStream ?? Stream.Null, ReaderSettings);
            reader.MoveToContent();
            if (reader.IsEmptyElement)
            {
                return [];
            }
            reader.ReadStartElement("QueueMessagesList");
            while (reader.MoveToContent() == XmlNodeType.Element)
            {
                if (reader.LocalName != "QueueMessage" || reader.IsEmptyElement)
                {
                    reader.Skip();
                    continue;
                }
                var fields = new Fields(response.Status);
                reader.ReadStartElement();
                while (reader.MoveToContent() == XmlNodeType.Element)
                {
                    var name = reader.LocalName;
                    fields.Add(name, reader.ReadElementContentAsString());
                }
                reader.ReadEndElement();
                messages.Add(create(fields));
            }
        }
        catch (XmlException exception)
        {
            throw new RequestFailedException(response.Status, "The Queue service's reply is not a QueueMessagesList.", exception);
        }
        return [.. messages];
    }

    /// <summary>Reads an RFC 1123 date, e.g. <c>Sun, 22 Nov 2026 01:55:28 GMT</c>, as the Queue service writes them in bodies and headers.</summary>
    public static bool TryParseDate(string? text, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);

    /// <summary>The child elements of one <c>&lt;QueueMessage&gt;</c>, typed on the way out.</summary>
    internal sealed class Fields(int status)
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public void Add(string name, string value) => _values[name] = value;

        public string Text(string name) => _values.TryGetValue(name, out var value) ? value : throw Invalid(name);

        public DateTimeOffset Date(string name) => TryParseDate(Text(name), out var date) ? date : throw Invalid(name);

        public long Number(string name) =>
            long.TryParse(Text(name), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw Invalid(name);

        private RequestFailedException Invalid(string name) =>
            new(status, $"The Queue service's reply has no valid <{name}> in a <QueueMessage>.");
    }
}
