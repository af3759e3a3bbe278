using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Functions.Statistics;

namespace ServerlessInnovation.Functions.RefreshStatistics;

/// <summary>
/// The timer-triggered <c>RefreshStatistics</c> function (02:00 China Standard Time by default): computes the snapshot of
/// the day that just ended; run late (the app was down), it also fills in the days since the latest snapshot, up to a
/// week. One instance at a time (the host's singleton lock, or the standalone scheduler's blob lease).
/// </summary>
public sealed class RefreshStatisticsHandler(StatisticsRefresher refresher, TimeProvider time) : ITimerTriggerHandler
{
    public const string Name = "RefreshStatistics";

    public async Task HandleAsync(TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        var days = await refresher.DaysToComputeAsync(time.GetUtcNow(), timer.IsPastDue, cancellationToken);
        await refresher.RefreshAsync(days, cancellationToken);
    }
}
