namespace ServerlessInnovation.Storage.Blobs;

/// <summary>The lease state of a blob.</summary>
public enum LeaseState
{
    /// <summary>No lease; the blob can be leased.</summary>
    Available,

    /// <summary>A lease is active.</summary>
    Leased,

    /// <summary>A lease expired; the blob can be leased.</summary>
    Expired,

    /// <summary>A lease is being broken and still blocks writes until its break period ends.</summary>
    Breaking,

    /// <summary>A lease was broken; the blob can be leased.</summary>
    Broken,
}
