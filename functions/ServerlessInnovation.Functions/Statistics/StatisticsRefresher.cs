using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>
/// Computes snapshots: one pass over the carriers (the catalog this instance already holds) and one over the applications
/// (day partition after day partition, a page at a time, only the columns the figures need), adding into an accumulator
/// per day asked for; then each day's rows, with the change since the day
/// before, and its files. Carriers count as the catalog has them now (it keeps no history); applications by their own
/// dates, with their current status.
/// </summary>
public sealed partial class StatisticsRefresher(
    LiveCatalog catalog,
    IOptions<CatalogOptions> catalogOptions,
    ApplicationStore applications,
    StatisticsStore store,
    StatisticsCharts charts,
    TimeProvider time,
    ILogger<StatisticsRefresher> logger)
{
    /// <summary>Most days one run fills in after downtime.</summary>
    public const int MaxCatchUpDays = 7;

    /// <summary>The day a run at <paramref name="now"/> reports: the China Standard Time day before (02:00 reports the day just ended).</summary>
    public static DateOnly DayReportedAt(DateTimeOffset now) => ChinaStandardTime.DayOf(now).AddDays(-1);

    /// <summary>
    /// The days a run at <paramref name="now"/> computes: the day it reports, and when it runs late (past due) also the
    /// days since the latest snapshot that have none, up to <see cref="MaxCatchUpDays"/>.
    /// </summary>
    public async Task<IReadOnlyList<DateOnly>> DaysToComputeAsync(DateTimeOffset now, bool pastDue, CancellationToken cancellationToken)
    {
        var day = DayReportedAt(now);
        if (!pastDue || await store.LatestAsync(cancellationToken) is not { } latest || latest >= day)
        {
            return [day];
        }
        var first = latest.AddDays(1) < day.AddDays(1 - MaxCatchUpDays) ? day.AddDays(1 - MaxCatchUpDays) : latest.AddDays(1);
        return [.. Enumerable.Range(0, day.DayNumber - first.DayNumber + 1).Select(first.AddDays)];
    }

    /// <summary>Computes and writes the snapshots of <paramref name="days"/> (in order, so each one's change is against the day before).</summary>
    public async Task<IReadOnlyList<StatisticsSnapshot>> RefreshAsync(IReadOnlyList<DateOnly> days, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var accumulators = days.Order().Select(day => new StatisticsAccumulator(day, StatisticsSnapshot.CityScope, HangzhouDistricts.All.Select(d => d.Code))).ToList();
        var districtOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var carriers = 0;
        // The carriers as this instance serves them (every instance holds the whole catalog, refreshed within seconds).
        var catalogSnapshot = await catalog.GetAsync(catalogOptions.Value.FirstLoadWait, cancellationToken)
            ?? throw new InvalidOperationException("The catalog is not loaded; the statistics are computed at the next occurrence.");
        foreach (var carrier in catalogSnapshot.Index.Carriers)
        {
            carriers++;
            districtOf[carrier.Id] = carrier.DistrictCode;
            foreach (var accumulator in accumulators)
            {
                accumulator.AddCarrier(carrier);
            }
        }
        long applicationCount = 0;
        // A China day ends at 16:00 UTC the same date: no application of a later partition counts.
        await foreach (var row in applications.ScanAsync(ApplicationFactsReader.Columns, accumulators[^1].Day, cancellationToken))
        {
            if (ApplicationFactsReader.Read(row, districtOf) is not { } facts)
            {
                continue;
            }
            applicationCount++;
            foreach (var accumulator in accumulators)
            {
                accumulator.AddApplication(facts);
            }
        }

        var snapshots = new List<StatisticsSnapshot>(accumulators.Count);
        foreach (var accumulator in accumulators)
        {
            var previous = (await store.ReadAsync(accumulator.Day.AddDays(-1), null, cancellationToken))
                .ToDictionary(r => StatisticsStore.RowKey(r.Scope, r.Code), r => r.Value, StringComparer.Ordinal);
            var snapshot = new StatisticsSnapshot(accumulator.Day, time.GetUtcNow(),
                [.. accumulator.Values().Select(v => new StatisticRow(v.Scope, v.Code, v.Value,
                    previous.TryGetValue(StatisticsStore.RowKey(v.Scope, v.Code), out var before) ? before : null))]);
            await store.WriteRowsAsync(snapshot, cancellationToken);
            await store.UploadAsync(snapshot.Date, StatisticsFiles.Json, StatisticsFiles.ContentType(StatisticsFiles.Json), snapshot.WriteJson, cancellationToken);
            await store.UploadAsync(snapshot.Date, StatisticsFiles.Csv, StatisticsFiles.ContentType(StatisticsFiles.Csv), snapshot.WriteCsv, cancellationToken);
            foreach (var (file, svg) in await charts.DrawAsync(snapshot, cancellationToken))
            {
                await store.UploadAsync(snapshot.Date, file, StatisticsFiles.ContentType(file), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(svg)), cancellationToken);
            }
            await store.MarkLatestAsync(snapshot.Date, snapshot.GeneratedAt, cancellationToken);
            snapshots.Add(snapshot);
        }
        var elapsed = time.GetElapsedTime(started);
        LogRefreshed(logger, accumulators.Count, accumulators[^1].Day, carriers, applicationCount, elapsed);
        return snapshots;
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information,
        Message = "Statistics of {Days} day(s) up to {Day} computed over {Carriers} carriers and {Applications} applications in {Elapsed}")]
    private static partial void LogRefreshed(ILogger logger, int days, DateOnly day, int carriers, long applications, TimeSpan elapsed);
}

/// <summary>The files of a snapshot, as stored under its date and as downloaded.</summary>
public static class StatisticsFiles
{
    public const string Json = "statistics.json";
    public const string Csv = "statistics.csv";
    public const string TierMix = "tier-mix.svg";
    public const string DistrictBars = "district-bars.svg";
    public const string ApplicationFunnel = "application-funnel.svg";
    public const string Trend = "trend-30d.svg";

    public static IReadOnlyList<string> All { get; } = [Json, Csv, TierMix, DistrictBars, ApplicationFunnel, Trend];

    public static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".json" => "application/json; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
