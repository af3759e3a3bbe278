namespace ServerlessInnovation.Storage.Blobs;

/// <summary>What a blob shared access signature allows; written in the canonical order <c>racwd</c>.</summary>
[Flags]
public enum BlobSasPermissions
{
    /// <summary>Read the content, properties and metadata (<c>r</c>).</summary>
    Read = 1,

    /// <summary>Add a block to an append blob (<c>a</c>).</summary>
    Add = 2,

    /// <summary>Write a new blob; an existing blob cannot be overwritten with this alone (<c>c</c>).</summary>
    Create = 4,

    /// <summary>Write or overwrite content, properties and metadata (<c>w</c>).</summary>
    Write = 8,

    /// <summary>Delete the blob (<c>d</c>).</summary>
    Delete = 16,

    /// <summary>All of the above.</summary>
    All = Read | Add | Create | Write | Delete,
}
