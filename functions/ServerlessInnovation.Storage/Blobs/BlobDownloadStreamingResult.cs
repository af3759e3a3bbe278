namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// A download whose content is read straight from the network as the caller reads <see cref="Content"/>. Dispose it (or
/// the stream) to release the connection.
/// </summary>
public sealed class BlobDownloadStreamingResult : IDisposable
{
    internal BlobDownloadStreamingResult(Stream content, BlobDownloadDetails details)
    {
        Content = content;
        Details = details;
    }

    /// <summary>The content, unbuffered: the response body as it arrives.</summary>
    public Stream Content { get; }

    /// <summary>Length, range, type, ETag and metadata of the blob.</summary>
    public BlobDownloadDetails Details { get; }

    /// <summary>Disposes <see cref="Content"/>.</summary>
    public void Dispose() => Content.Dispose();
}
