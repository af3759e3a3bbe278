using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;

namespace ServerlessInnovation.Functions.Catalog;

/// <summary>
/// Keeps <see cref="LiveCatalog"/> current: creates the tables, seeds the demo catalog if asked and the table is
/// empty, then checks the one version entity every <see cref="CatalogOptions.RefreshInterval"/> and reloads the
/// carriers only when it changed (or rebuilds the index when the day changes, as tiers expire by date).
/// </summary>
public sealed partial class CatalogRefresher(
    CatalogTable table,
    LiveCatalog live,
    IOptions<CatalogOptions> options,
    TimeProvider time,
    ILogger<CatalogRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var prepared = false;
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!prepared)
                {
                    await PrepareAsync(stoppingToken);
                    prepared = true;
                }
                await RefreshAsync(stoppingToken);
                backoff = TimeSpan.FromSeconds(1);
                await Task.Delay(options.Value.RefreshInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogRefreshFailed(logger, exception, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await table.EnsureExistsAsync(cancellationToken);
        if (options.Value.SeedDemoCatalogWhenEmpty && await table.IsEmptyAsync(cancellationToken))
        {
            var demo = DemoCatalog.Hangzhou();
            await table.SaveCarriersAsync(demo.Carriers, cancellationToken);
            LogSeeded(logger, demo.Carriers.Count);
        }
    }

    /// <summary>One check: reload when the newest change differs from the served one, rebuild when the day changed.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var stored = await table.GetVersionAsync(cancellationToken);
        var token = stored?.Token ?? "";
        var now = time.GetUtcNow();
        var today = ChinaStandardTime.DayOf(now);
        var current = live.Current;
        if (current is not null && current.VersionToken == token && current.Index.BuiltFor == today)
        {
            return;
        }

        var carriers = current is not null && current.VersionToken == token
            ? current.Index.Carriers
            : await table.LoadCarriersAsync(cancellationToken);
        var known = carriers.Where(c => HangzhouDistricts.All.Any(d => d.Code == c.DistrictCode)).ToList();
        if (known.Count < carriers.Count)
        {
            LogUnknownDistricts(logger, carriers.Count - known.Count);
        }
        var version = stored?.Number ?? 0;
        live.Publish(new CatalogSnapshot(MatchIndex.Build(known, HangzhouDistricts.All, today), version, token, now));
        LogLoaded(logger, known.Count, version, today);

    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Catalog loaded: {CarrierCount} carriers, version {Version}, tiers as of {Day}")]
    private static partial void LogLoaded(ILogger logger, int carrierCount, long version, DateOnly day);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Seeded the demo catalog: {CarrierCount} carriers")]
    private static partial void LogSeeded(ILogger logger, int carrierCount);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Catalog refresh failed; retrying in {RetrySeconds} s")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, double retrySeconds);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Skipped {Count} carriers in districts outside the service's directory")]
    private static partial void LogUnknownDistricts(ILogger logger, int count);
}
