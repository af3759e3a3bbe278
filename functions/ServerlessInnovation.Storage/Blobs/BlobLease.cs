using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>The outcome of a lease operation.</summary>
public sealed class BlobLease
{
    /// <summary>The blob's ETag.</summary>
    public required ETag ETag { get; init; }

    /// <summary>When the blob last changed.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>The lease id, for acquire and renew; null after a break.</summary>
    public string? LeaseId { get; init; }

    /// <summary>After a break, the seconds until the lease is broken (0 when it is broken now); null otherwise.</summary>
    public int? LeaseTime { get; init; }
}
