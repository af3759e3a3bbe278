namespace ServerlessInnovation.Storage.Blobs;

/// <summary>How <see cref="BlobClient.UploadAsync(Stream, BlobUploadOptions?, CancellationToken)"/> writes a block blob.</summary>
public sealed class BlobUploadOptions
{
    /// <summary>
    /// False (the default) creates the blob only if it does not exist (<c>If-None-Match: *</c>), failing with 409
    /// <c>BlobAlreadyExists</c> otherwise; true replaces an existing blob, subject to <see cref="Conditions"/>.
    /// </summary>
    public bool Overwrite { get; set; }

    /// <summary>The blob's content type, e.g. <c>application/pdf</c>; the service stores <c>application/octet-stream</c> when unset.</summary>
    public string? ContentType { get; set; }

    /// <summary>Metadata to store with the blob; names are lowercase letters and digits starting with a letter, values printable ASCII.</summary>
    public IDictionary<string, string>? Metadata { get; set; }

    /// <summary>
    /// The lease id of a leased blob, and with <see cref="Overwrite"/> the ETag the blob must still have
    /// (<see cref="BlobRequestConditions.IfMatch"/>).
    /// </summary>
    public BlobRequestConditions? Conditions { get; set; }

    /// <summary>When content goes in one request or in blocks, the block size and how many blocks are in flight.</summary>
    public StorageTransferOptions TransferOptions { get; set; }
}
