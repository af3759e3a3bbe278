namespace ServerlessInnovation.Storage.Blobs;

/// <summary>How an upload is split into requests. Unset values take the defaults shown.</summary>
public readonly record struct StorageTransferOptions
{
    /// <summary>The default <see cref="InitialTransferSize"/>: 8 MiB.</summary>
    public const long DefaultInitialTransferSize = 8 * 1024 * 1024;

    /// <summary>The default <see cref="MaximumTransferSize"/>: 4 MiB.</summary>
    public const int DefaultMaximumTransferSize = 4 * 1024 * 1024;

    /// <summary>The default <see cref="MaximumConcurrency"/>: 4.</summary>
    public const int DefaultMaximumConcurrency = 4;

    /// <summary>
    /// Content known to be at most this long goes in one Put Blob request (1 byte to 5000 MiB; default 8 MiB). Longer content,
    /// and a stream of unknown length that does not end within its first block, is uploaded in blocks.
    /// </summary>
    public long? InitialTransferSize { get; init; }

    /// <summary>The block size (1 byte to 256 MiB; default 4 MiB). Each block in flight is held in a pooled buffer of this size.</summary>
    public int? MaximumTransferSize { get; init; }

    /// <summary>How many blocks are uploaded at once (1 to 64; default 4).</summary>
    public int? MaximumConcurrency { get; init; }
}
