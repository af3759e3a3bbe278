using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>The system properties of a listed blob.</summary>
public sealed class BlobItemProperties
{
    /// <summary>The content length in bytes.</summary>
    public required long ContentLength { get; init; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>The content's MD5, when one is stored.</summary>
    public byte[]? ContentHash { get; init; }

    /// <summary>The blob's ETag, in the same form as <see cref="BlobProperties.ETag"/> so the two compare equal.</summary>
    public required ETag ETag { get; init; }

    /// <summary>When the blob last changed.</summary>
    public required DateTimeOffset LastModified { get; init; }
}
