namespace ServerlessInnovation.Storage.Blobs;

/// <summary>What a blob listing includes besides names and system properties.</summary>
[Flags]
public enum BlobTraits
{
    /// <summary>Names and system properties only.</summary>
    None = 0,

    /// <summary>Each blob's metadata (<c>include=metadata</c>).</summary>
    Metadata = 1,
}
