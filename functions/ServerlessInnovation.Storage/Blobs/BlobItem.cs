namespace ServerlessInnovation.Storage.Blobs;

/// <summary>A blob as a listing shows it: <see cref="BlobContainerClient.GetBlobsAsync"/>.</summary>
public sealed class BlobItem
{
    /// <summary>The blob name, unescaped.</summary>
    public required string Name { get; init; }

    /// <summary>The blob's system properties.</summary>
    public required BlobItemProperties Properties { get; init; }

    /// <summary>The blob's metadata when the listing asked for <see cref="BlobTraits.Metadata"/>; empty otherwise.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
}
