namespace ServerlessInnovation.Storage.Tables;

/// <summary>How an update or upsert treats the properties already stored.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep stored properties the entity does not mention (HTTP MERGE).</summary>
    Merge,

    /// <summary>Replace the stored entity with exactly the properties sent (HTTP PUT).</summary>
    Replace,
}
