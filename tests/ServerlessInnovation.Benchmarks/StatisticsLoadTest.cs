using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;
using ServerlessInnovation.Tests.Statistics;
using static ServerlessInnovation.Benchmarks.LoadTestSupport;

namespace ServerlessInnovation.Benchmarks;

/// <summary>
/// One nightly statistics refresh over N carriers (the Hangzhou demo catalog, repeated) and M applications (thirty days
/// of them) in Azurite, run by the app as the Functions host would (its timer payload to <c>POST /RefreshStatistics</c>),
/// beside a raw full scan of the same two tables (every entity, every column, page by page, partition by partition) in
/// the same run, before and after; and the app's peak resident memory.
/// Usage: <c>statistics [--carriers 20000] [--applications 1000000]</c>.
/// </summary>
internal static class StatisticsLoadTest
{
    public static async Task<int> RunAsync(string[] args)
    {
        var carrierCount = int.Parse(Option(args, "--carriers") ?? "20000", CultureInfo.InvariantCulture);
        var applicationCount = int.Parse(Option(args, "--applications") ?? "1000000", CultureInfo.InvariantCulture);

        // A million entities in the emulator's memory need more than Node's default heap.
        Environment.SetEnvironmentVariable("NODE_OPTIONS", "--max-old-space-size=12288");
        var azurite = await Azurite.Shared;
        var connection = StorageConnection.Parse(azurite.ConnectionString);
        var tables = connection.GetTableServiceClient();
        var carriersTable = tables.GetTableClient(Unique("carriers"));
        var applicationsTable = tables.GetTableClient(Unique("apps"));
        await carriersTable.CreateIfNotExistsAsync();
        await applicationsTable.CreateIfNotExistsAsync();

        var loading = Stopwatch.StartNew();
        var carriers = Carriers(carrierCount);
        await InsertAsync(carriersTable, carriers.Select(CarrierEntity.From));
        var now = DateTimeOffset.UtcNow;
        await InsertAsync(applicationsTable, StatisticsDataSet.Applications(carriers, applicationCount, now, days: 30, seed: 1).Select(a => a.ToEntity()));
        Console.WriteLine($"Loaded {carrierCount:N0} carriers and {applicationCount:N0} applications into Azurite (in memory) in {loading.Elapsed.TotalSeconds:F0} s.");

        var lastDay = DateOnly.FromDateTime(now.UtcDateTime);
        var rawBefore = await RawScanAsync(carriersTable, applicationsTable, lastDay);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Raw full scan, before: {rawBefore.Entities:N0} entities in {rawBefore.Seconds:F1} s"));

        var settings = new Dictionary<string, string>
        {
            ["Storage"] = azurite.ConnectionString,
            ["Catalog__CarrierTable"] = carriersTable.Name,
            ["Catalog__StateTable"] = Unique("state"),
            ["Applications__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Applications__ApplicationTable"] = applicationsTable.Name,
            ["Applications__RequestTable"] = Unique("requests"),
            ["ApplicationsQueue"] = Unique("applications"),
            ["Statistics__StatisticsTable"] = Unique("statistics"),
            ["Statistics__ReportContainer"] = Unique("reports"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__ServerlessInnovation.Functions.Statistics"] = "Information",
        };
        await using var app = await HandlerProcess.StartAsync(settings);
        await app.WaitUntilHealthyAsync(); // as in a running instance: the catalog is loaded
        using var client = new HttpClient { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromHours(1) };
        var payload = """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"RefreshStatistics","UtcNow":"""
            + "\"" + now.ToString("O", CultureInfo.InvariantCulture) + "\",\"RandGuid\":\"" + Guid.NewGuid() + "\"}}}";
        var memoryBefore = PeakResidentMiB(app.ProcessId);
        var refresh = Stopwatch.StartNew();
        using var response = await client.PostAsync(new Uri("/RefreshStatistics", UriKind.Relative), new StringContent(payload, Encoding.UTF8, "application/json"));
        var refreshSeconds = refresh.Elapsed.TotalSeconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"RefreshStatistics answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{app.Output}");
        }
        var peak = PeakResidentMiB(app.ProcessId);

        var rawAfter = await RawScanAsync(carriersTable, applicationsTable, lastDay);
        var raw = (rawBefore.Seconds + rawAfter.Seconds) / 2;
        Console.WriteLine();
        Console.WriteLine("| Measure | Seconds | Ratio to the raw scan |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Raw full scan of both tables, before / after | {rawBefore.Seconds:F1} / {rawAfter.Seconds:F1} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| RefreshStatistics (host payload → snapshot, files and charts written) | {refreshSeconds:F1} | {refreshSeconds / raw:F2} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"App peak resident memory: {memoryBefore:F0} MiB after start (catalog loaded), {peak:F0} MiB after the refresh (target ≤ 300 MB)."));
        foreach (var line in app.Output.Split('\n').Where(l => l.Contains("Statistics of", StringComparison.Ordinal)))
        {
            Console.WriteLine("App: " + line.Trim());
        }
        return 0;
    }

    /// <summary>The Hangzhou demo carriers, repeated with new ids until there are <paramref name="count"/>.</summary>
    private static List<Carrier> Carriers(int count)
    {
        var hangzhou = DemoCatalog.Hangzhou().Carriers;
        return [.. Enumerable.Range(0, count).Select(i => hangzhou[i % hangzhou.Count] with
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{hangzhou[i % hangzhou.Count].Id}-r{i / hangzhou.Count}"),
        })];
    }

    /// <summary>Entities in entity-group batches of one partition, eight in flight, streamed: at most a batch per partition held.</summary>
    private static async Task InsertAsync(TableClient table, IEnumerable<TableEntity> entities)
    {
        var pending = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        var inFlight = new List<Task>();
        foreach (var entity in entities)
        {
            if (!pending.TryGetValue(entity.PartitionKey, out var batch))
            {
                pending[entity.PartitionKey] = batch = [];
            }
            batch.Add(entity);
            if (batch.Count == TableClient.MaxTransactionActions)
            {
                pending.Remove(entity.PartitionKey);
                await StartAsync(batch);
            }
        }
        foreach (var batch in pending.Values)
        {
            await StartAsync(batch);
        }
        await Task.WhenAll(inFlight);

        async Task StartAsync(List<TableEntity> batch)
        {
            if (inFlight.Count >= 8)
            {
                await Task.WhenAny(inFlight);
                inFlight.RemoveAll(t => t.IsCompleted);
            }
            inFlight.Add(table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))));
        }
    }

    /// <summary>
    /// Every entity of both tables, every column, page by page, one partition after another (the carriers' 13 districts,
    /// the applications' days): the quickest plain way to read them all, on Azurite as on Azure.
    /// </summary>
    private static async Task<(long Entities, double Seconds)> RawScanAsync(TableClient carriers, TableClient applications, DateOnly lastDay)
    {
        var stopwatch = Stopwatch.StartNew();
        long entities = 0;
        foreach (var district in HangzhouDistricts.All)
        {
            await foreach (var _ in carriers.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {district.Code}")))
            {
                entities++;
            }
        }
        string? earliest = null;
        await foreach (var entity in applications.QueryAsync(maxPerPage: 1, select: ["PartitionKey"]))
        {
            earliest = entity.PartitionKey;
            break;
        }
        for (var day = DateOnly.ParseExact(earliest!, "yyyyMMdd", CultureInfo.InvariantCulture); day <= lastDay; day = day.AddDays(1))
        {
            await foreach (var _ in applications.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}")))
            {
                entities++;
            }
        }
        return (entities, stopwatch.Elapsed.TotalSeconds);
    }
}
