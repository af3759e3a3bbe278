using System.Xml;
using System.Xml.Linq;

namespace ServerlessInnovation.Storage;

/// <summary>Reads the XML bodies of Blob and Queue replies, with DTDs and external resources refused.</summary>
internal static class StorageXml
{
    /// <summary>The document, or null when <paramref name="body"/> is not well-formed XML.</summary>
    public static XDocument? TryLoad(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
