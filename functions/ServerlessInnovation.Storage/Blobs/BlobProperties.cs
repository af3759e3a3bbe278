using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>A blob's system properties, metadata and lease, as <see cref="BlobClient.GetPropertiesAsync"/> reads them.</summary>
public sealed class BlobProperties
{
    /// <summary>The content length in bytes.</summary>
    public required long ContentLength { get; init; }

    /// <summary>The content type, e.g. <c>application/octet-stream</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>The content's MD5, when one is stored.</summary>
    public byte[]? ContentHash { get; init; }

    /// <summary>The blob's ETag.</summary>
    public required ETag ETag { get; init; }

    /// <summary>When the blob last changed.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>The blob's metadata; names compare case-insensitively.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>Whether the blob can be leased now (<c>x-ms-lease-state</c>).</summary>
    public LeaseState? LeaseState { get; init; }

    /// <summary>Whether the blob is leased (<c>x-ms-lease-status</c>).</summary>
    public LeaseStatus? LeaseStatus { get; init; }

    /// <summary>Whether the active lease is infinite or fixed (<c>x-ms-lease-duration</c>); null when the blob is not leased.</summary>
    public LeaseDurationType? LeaseDuration { get; init; }
}
