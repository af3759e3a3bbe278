using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>The properties that come with a download.</summary>
public sealed class BlobDownloadDetails
{
    /// <summary>The number of bytes in this response: the whole blob, or the range asked for.</summary>
    public required long ContentLength { get; init; }

    /// <summary>For a range, which bytes of how many, e.g. <c>bytes 6-12/29</c>; null for the whole blob.</summary>
    public string? ContentRange { get; init; }

    /// <summary>The blob's content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>The MD5 of the whole blob when one is stored (also for a range).</summary>
    public byte[]? ContentHash { get; init; }

    /// <summary>The blob's ETag.</summary>
    public required ETag ETag { get; init; }

    /// <summary>When the blob last changed.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>The blob's metadata; names compare case-insensitively.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
}
