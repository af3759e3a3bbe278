using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>What an upload produced.</summary>
public sealed class BlobContentInfo
{
    /// <summary>The blob's new ETag.</summary>
    public required ETag ETag { get; init; }

    /// <summary>When the blob was written.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>
    /// The MD5 of the whole content: the one the service reports for a single-request upload, the one stored with the
    /// blob for a block upload; null when the service reported none.
    /// </summary>
    public byte[]? ContentHash { get; init; }
}
