namespace ServerlessInnovation.Storage.Blobs;

/// <summary>Whether a blob is leased.</summary>
public enum LeaseStatus
{
    /// <summary>The blob is leased: writes need the lease id.</summary>
    Locked,

    /// <summary>The blob is not leased.</summary>
    Unlocked,
}
