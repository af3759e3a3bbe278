namespace ServerlessInnovation.Storage.Blobs;

/// <summary>The duration kind of an active lease.</summary>
public enum LeaseDurationType
{
    /// <summary>The lease lasts until it is released or broken.</summary>
    Infinite,

    /// <summary>The lease expires after 15 to 60 seconds unless renewed.</summary>
    Fixed,
}
