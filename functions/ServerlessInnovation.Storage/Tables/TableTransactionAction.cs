using Azure;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>One operation of an entity group transaction (<see cref="TableClient.SubmitTransactionAsync"/>).</summary>
public sealed class TableTransactionAction
{
    /// <summary>Creates the action.</summary>
    /// <param name="actionType">What to do.</param>
    /// <param name="entity">The entity; for <see cref="TableTransactionActionType.Delete"/> only its keys are used.</param>
    /// <param name="etag">
    /// For updates and deletes, the ETag the stored entity must have; the default means any version (<c>If-Match: *</c>).
    /// Ignored by adds and upserts.
    /// </param>
    public TableTransactionAction(TableTransactionActionType actionType, TableEntity entity, ETag etag = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!Enum.IsDefined(actionType))
        {
            throw new ArgumentOutOfRangeException(nameof(actionType), actionType, "Unknown transaction action type.");
        }
        ActionType = actionType;
        Entity = entity;
        ETag = etag;
    }

    /// <summary>What the action does.</summary>
    public TableTransactionActionType ActionType { get; }

    /// <summary>The entity the action applies to.</summary>
    public TableEntity Entity { get; }

    /// <summary>The ETag condition of an update or delete; the default means any version.</summary>
    public ETag ETag { get; }
}
