using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>The XML bodies of the Blob operations this client uses.</summary>
internal static class BlobXml
{
    /// <summary><c>&lt;BlockList&gt;&lt;Latest&gt;id&lt;/Latest&gt;…&lt;/BlockList&gt;</c>: commit the staged blocks in order.</summary>
    public static byte[] BlockList(IEnumerable<string> blockIds) =>
        Serialize(new XElement("BlockList", blockIds.Select(id => new XElement("Latest", id))));

    /// <summary><c>&lt;KeyInfo&gt;&lt;Start/&gt;&lt;Expiry/&gt;&lt;/KeyInfo&gt;</c> for Get User Delegation Key.</summary>
    public static byte[] KeyInfo(string startsOn, string expiresOn) =>
        Serialize(new XElement("KeyInfo", new XElement("Start", startsOn), new XElement("Expiry", expiresOn)));

    /// <summary>
    /// <c>&lt;StorageServiceProperties&gt;&lt;Cors&gt;…&lt;/Cors&gt;&lt;/StorageServiceProperties&gt;</c> for Set Blob Service
    /// Properties: only the <c>Cors</c> element, so the service keeps logging, metrics, retention and the rest as they are.
    /// </summary>
    public static byte[] CorsProperties(IEnumerable<BlobCorsRule> rules) =>
        Serialize(new XElement("StorageServiceProperties", new XElement("Cors", rules.Select(rule => new XElement("CorsRule",
            new XElement("AllowedOrigins", string.Join(',', rule.AllowedOrigins)),
            new XElement("AllowedMethods", string.Join(',', rule.AllowedMethods)),
            new XElement("MaxAgeInSeconds", rule.MaxAgeInSeconds.ToString(CultureInfo.InvariantCulture)),
            new XElement("ExposedHeaders", string.Join(',', rule.ExposedHeaders)),
            new XElement("AllowedHeaders", string.Join(',', rule.AllowedHeaders)))))));

    /// <summary>The CORS rules of a Get Blob Service Properties reply (none when it has no <c>Cors</c> element).</summary>
    public static List<BlobCorsRule> ReadCorsRules(Response response)
    {
        var root = Load(response, "StorageServiceProperties");
        static IReadOnlyList<string> List(XElement rule, string name) =>
            (rule.Element(name)?.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return [.. (root.Element("Cors")?.Elements("CorsRule") ?? []).Select(rule => new BlobCorsRule
        {
            AllowedOrigins = List(rule, "AllowedOrigins"),
            AllowedMethods = List(rule, "AllowedMethods"),
            AllowedHeaders = List(rule, "AllowedHeaders"),
            ExposedHeaders = List(rule, "ExposedHeaders"),
            MaxAgeInSeconds = int.TryParse(rule.Element("MaxAgeInSeconds")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var age) ? age : 0,
        })];
    }

    public static UserDelegationKey ReadUserDelegationKey(Response response)
    {
        var root = Load(response, "UserDelegationKey");
        string Text(string name) => root.Element(name)?.Value
            ?? throw new RequestFailedException(response.Status, $"The user delegation key has no {name}.");
        DateTimeOffset Time(string name) => DateTimeOffset.Parse(Text(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return new UserDelegationKey
        {
            SignedObjectId = Text("SignedOid"),
            SignedTenantId = Text("SignedTid"),
            SignedStartsOn = Time("SignedStart"),
            SignedExpiresOn = Time("SignedExpiry"),
            SignedService = Text("SignedService"),
            SignedVersion = Text("SignedVersion"),
            Value = Text("Value"),
        };
    }

    /// <summary>One page of List Blobs: the blobs, and the marker of the next page (null on the last).</summary>
    public static (List<BlobItem> Blobs, string? NextMarker) ReadBlobList(Response response)
    {
        var root = Load(response, "EnumerationResults");
        var blobs = (root.Element("Blobs")?.Elements("Blob") ?? []).Select(ReadBlobItem).ToList();
        var nextMarker = root.Element("NextMarker")?.Value;
        return (blobs, string.IsNullOrEmpty(nextMarker) ? null : nextMarker);
    }

    private static BlobItem ReadBlobItem(XElement blob)
    {
        var properties = blob.Element("Properties");
        string? Property(string name) => properties?.Element(name)?.Value is { Length: > 0 } value ? value : null;
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in blob.Element("Metadata")?.Elements() ?? [])
        {
            metadata[entry.Name.LocalName] = entry.Value;
        }
        return new BlobItem
        {
            Name = blob.Element("Name")?.Value ?? "",
            Properties = new BlobItemProperties
            {
                ContentLength = long.TryParse(Property("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : 0,
                ContentType = Property("Content-Type"),
                ContentHash = BlobHeaders.ParseHash(Property("Content-MD5")),
                // Listings show the ETag bare, as Azure.Core keeps a quoted header ETag, so both forms compare equal.
                ETag = Property("Etag") is { } etag ? new ETag(etag.Trim('"')) : default,
                LastModified = BlobHeaders.ParseDate(Property("Last-Modified")),
            },
            Metadata = metadata,
        };
    }

    private static XElement Load(Response response, string rootName) =>
        StorageXml.TryLoad(response.Content.ToMemory()) is { Root: { } root } && root.Name.LocalName == rootName
            ? root
            : throw new RequestFailedException(response.Status, $"The reply is not the expected <{rootName}> document.");

    private static byte[] Serialize(XElement element) =>
        Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + element.ToString(SaveOptions.DisableFormatting));
}
