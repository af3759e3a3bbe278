namespace ServerlessInnovation.Storage.Tables;

/// <summary>What a <see cref="TableTransactionAction"/> does to its entity.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert an entity that must not exist yet (fails the transaction with 409 if it does).</summary>
    Add,

    /// <summary>Merge into an existing entity, if its ETag matches (HTTP MERGE with If-Match).</summary>
    UpdateMerge,

    /// <summary>Replace an existing entity, if its ETag matches (HTTP PUT with If-Match).</summary>
    UpdateReplace,

    /// <summary>Delete an existing entity, if its ETag matches; only the keys are sent.</summary>
    Delete,

    /// <summary>Insert, or merge into the existing entity (HTTP MERGE without If-Match).</summary>
    UpsertMerge,

    /// <summary>Insert, or replace the existing entity (HTTP PUT without If-Match).</summary>
    UpsertReplace,
}
