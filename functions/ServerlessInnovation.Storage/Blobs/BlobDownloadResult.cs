namespace ServerlessInnovation.Storage.Blobs;

/// <summary>A download held in memory: <see cref="BlobClient.DownloadContentAsync"/>.</summary>
public sealed class BlobDownloadResult
{
    /// <summary>The content.</summary>
    public required BinaryData Content { get; init; }

    /// <summary>Length, range, type, ETag and metadata of the blob.</summary>
    public required BlobDownloadDetails Details { get; init; }
}
