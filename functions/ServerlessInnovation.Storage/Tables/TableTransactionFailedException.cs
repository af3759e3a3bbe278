using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// An entity group transaction that the service rejected as a whole: nothing was committed.
/// <see cref="RequestFailedException.Status"/> and <see cref="RequestFailedException.ErrorCode"/> are those of the failing
/// action (e.g. 409 <c>EntityAlreadyExists</c>, 412 <c>UpdateConditionNotSatisfied</c>).
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    internal TableTransactionFailedException(Response failedAction, int? failedTransactionActionIndex, RequestFailedDetailsParser parser)
        : base(failedAction, null, parser)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
    }

    /// <summary>The zero-based index of the action that failed, when the service names it.</summary>
    public int? FailedTransactionActionIndex { get; }
}
