using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>Conditions a blob must meet for a request to proceed, and the lease that authorizes a write.</summary>
public sealed class BlobRequestConditions
{
    /// <summary>
    /// Proceed only if the blob's ETag matches (<c>If-Match</c>); otherwise the service answers 412 <c>ConditionNotMet</c>.
    /// <see cref="ETag.All"/> means "the blob exists".
    /// </summary>
    public ETag? IfMatch { get; set; }

    /// <summary>
    /// Proceed only if the blob's ETag differs (<c>If-None-Match</c>); a read of an unchanged blob answers 304 (thrown as a
    /// <see cref="RequestFailedException"/>). <see cref="ETag.All"/> is valid only for writes.
    /// </summary>
    public ETag? IfNoneMatch { get; set; }

    /// <summary>The id of the blob's active lease (<c>x-ms-lease-id</c>): writes to a leased blob need it, reads check it when given.</summary>
    public string? LeaseId { get; set; }
}
