using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>A blob's version after a change that did not rewrite its content (metadata, lease release).</summary>
public sealed class BlobInfo
{
    /// <summary>The blob's ETag after the change.</summary>
    public required ETag ETag { get; init; }

    /// <summary>When the blob last changed.</summary>
    public required DateTimeOffset LastModified { get; init; }
}
