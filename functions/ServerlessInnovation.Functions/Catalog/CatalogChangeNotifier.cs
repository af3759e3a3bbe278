namespace ServerlessInnovation.Functions.Catalog;

/// <summary>
/// Coalesces frequent, small catalog changes (seats taken and given back) into at most one recorded change per
/// <see cref="Interval"/> per instance: other instances see the new vacancies within that interval plus their refresh
/// interval, and a burst of decisions costs one counter update instead of one each.
/// </summary>
public sealed partial class CatalogChangeNotifier(CatalogTable catalog, TimeProvider time, ILogger<CatalogChangeNotifier> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private int _pending;

    /// <summary>Notes that carriers changed; the change is recorded within <see cref="Interval"/>.</summary>
    public void MarkChanged() => Interlocked.Exchange(ref _pending, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // A change noted just before shutdown is still recorded.
        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _pending, 0) == 0)
        {
            return;
        }
        try
        {
            await catalog.RecordChangeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            MarkChanged();
            LogFlushFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Could not record a catalog change; will try again")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
