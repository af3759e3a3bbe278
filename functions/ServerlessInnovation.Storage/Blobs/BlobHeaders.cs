using System.Globalization;
using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>Writes conditions and metadata into requests and reads blob properties out of response headers.</summary>
internal static class BlobHeaders
{
    public const string MetadataPrefix = "x-ms-meta-";
    public const string LeaseId = "x-ms-lease-id";

    public static void SetConditions(Request request, BlobRequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }
        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue(HttpHeader.Names.IfMatch, ifMatch.ToString("H"));
        }
        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue(HttpHeader.Names.IfNoneMatch, ifNoneMatch.ToString("H"));
        }
        SetLeaseId(request, conditions.LeaseId);
    }

    public static void SetLeaseId(Request request, string? leaseId)
    {
        if (!string.IsNullOrEmpty(leaseId))
        {
            request.Headers.SetValue(LeaseId, leaseId);
        }
    }

    public static void SetMetadata(Request request, IDictionary<string, string>? metadata)
    {
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            request.Headers.SetValue(MetadataPrefix + name, value);
        }
    }

    public static IReadOnlyDictionary<string, string> Metadata(Response response)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name[MetadataPrefix.Length..]] = header.Value;
            }
        }
        return metadata;
    }

    public static string? Value(Response response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The <c>ETag</c> header, unquoted as Azure.Core reads it (<c>ToString("H")</c> quotes it again).</summary>
    public static ETag ETag(Response response) => response.Headers.ETag ?? default;

    public static DateTimeOffset LastModified(Response response) => ParseDate(Value(response, "Last-Modified"));

    /// <summary>An RFC 1123 date (<c>Sun, 22 Nov 2026 01:55:16 GMT</c>); the default instant when absent or malformed.</summary>
    public static DateTimeOffset ParseDate(string? value) =>
        DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : default;

    /// <summary>A base64 MD5; null when absent, empty or not base64.</summary>
    public static byte[]? ParseHash(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }

    public static LeaseState? ParseLeaseState(string? value) => value switch
    {
        "available" => Blobs.LeaseState.Available,
        "leased" => Blobs.LeaseState.Leased,
        "expired" => Blobs.LeaseState.Expired,
        "breaking" => Blobs.LeaseState.Breaking,
        "broken" => Blobs.LeaseState.Broken,
        _ => null,
    };

    public static LeaseStatus? ParseLeaseStatus(string? value) => value switch
    {
        "locked" => Blobs.LeaseStatus.Locked,
        "unlocked" => Blobs.LeaseStatus.Unlocked,
        _ => null,
    };

    public static LeaseDurationType? ParseLeaseDuration(string? value) => value switch
    {
        "infinite" => LeaseDurationType.Infinite,
        "fixed" => LeaseDurationType.Fixed,
        _ => null,
    };

    public static BlobInfo Info(Response response) => new() { ETag = ETag(response), LastModified = LastModified(response) };
}
