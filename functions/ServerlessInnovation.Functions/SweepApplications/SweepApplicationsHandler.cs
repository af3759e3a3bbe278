using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Hosting;

namespace ServerlessInnovation.Functions.SweepApplications;

/// <summary>
/// The timer-triggered <c>SweepApplications</c> function: queues again every application still undecided well after it
/// was stored — the record is written before the message, so a crash between the two is caught here — and marks failed
/// the ones queued again too often.
/// </summary>
public sealed partial class SweepApplicationsHandler(ApplicationProcessor processor, ILogger<SweepApplicationsHandler> logger) : ITimerTriggerHandler
{
    public const string Name = "SweepApplications";

    public async Task HandleAsync(TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        var requeued = await processor.SweepAsync(cancellationToken);
        LogSwept(logger, requeued, timer.IsPastDue);
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Sweep queued {Count} undecided applications again (past due: {IsPastDue})")]
    private static partial void LogSwept(ILogger logger, int count, bool isPastDue);
}
