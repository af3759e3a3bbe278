using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Documents;
using ServerlessInnovation.Tests.Infrastructure;
using static ServerlessInnovation.Benchmarks.LoadTestSupport;

namespace ServerlessInnovation.Benchmarks;

/// <summary>
/// Catalog ingestion through the app standalone on Azurite (in memory): a city bureau uploads a catalog of N rows as CSV
/// and as XLSX through <c>POST /api/bureau/documents</c>, and its own <c>IngestDocument</c> listener applies it. Beside
/// it, in the same run, the raw entity-group upsert of the same entities (read back from the app's table) into a fresh
/// table, at the same concurrency: the least storage work the rows can take. The app's peak resident memory is read after
/// a small catalog and again after each large one: flat means the file is streamed, not held.
/// Usage: <c>ingestion [--rows 20000] [--small 2000] [--concurrency 4]</c>.
/// </summary>
internal static class IngestionLoadTest
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(Option(args, "--rows") ?? "20000", CultureInfo.InvariantCulture);
        var small = int.Parse(Option(args, "--small") ?? "2000", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Option(args, "--concurrency") ?? "4", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);

        var azurite = await Azurite.Shared;
        var connection = StorageConnection.Parse(azurite.ConnectionString);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var carrierTable = Unique("carriers");
        var settings = new Dictionary<string, string>
        {
            ["Storage"] = azurite.ConnectionString,
            ["Catalog__CarrierTable"] = carrierTable,
            ["Catalog__StateTable"] = Unique("state"),
            ["Catalog__SeedDemoCatalogWhenEmpty"] = "true",
            ["Applications__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Applications__ApplicationTable"] = Unique("apps"),
            ["Applications__RequestTable"] = Unique("requests"),
            ["ApplicationsQueue"] = Unique("applications"),
            ["DocumentsQueue"] = Unique("documents"),
            ["Documents__DocumentTable"] = Unique("documents"),
            ["Documents__Container"] = Unique("documents"),
            ["Documents__IngestionConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Bureaus__KeyHashes__hangzhou"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))),
            ["Triggers__Timers__Container"] = Unique("timers"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__ServerlessInnovation.Functions.Documents.CatalogIngestion"] = "Information",
        };
        await using var app = await HandlerProcess.StartStandaloneAsync(settings);
        await app.WaitUntilHealthyAsync();
        using var client = new HttpClient { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Add("X-Bureau-Key", key);
        var table = connection.GetTableServiceClient().GetTableClient(carrierTable);
        Console.WriteLine($"Azurite (in memory) and the app standalone at {app.Client.BaseAddress}; {Environment.ProcessorCount} cores shared by both and this generator.");

        // Warm-up, not measured: both formats, a few times, so the app's hot paths are compiled optimized (tiered JIT) as
        // they are in a long-running instance; then the app's peak memory after small catalogs, for comparison.
        var warmVersion = await CatalogVersionAsync(client);
        for (var round = 0; round < 3; round++)
        {
            await IngestAsync(client, "warm", Csv(Rows("wc", small, round)), "text/csv");
            await IngestAsync(client, "warm", CatalogFiles.Xlsx(Rows("wx", small, round)), XlsxType);
        }
        await CatalogReloadedAsync(client, warmVersion + 5);
        Console.WriteLine($"Warm-up: 3 × {small} rows as CSV and as XLSX; app peak resident memory {PeakResidentMiB(app.ProcessId):F0} MiB.");

        // Each format: a first catalog through the app inserts the rows (timed, shown, not in the ratio). Then rounds of the
        // raw upsert of those same entities into the same table, followed by a new version of the catalog through the app,
        // which replaces the same rows: the same writes to the same table, alternating, so that a slower or faster emulator
        // midway affects both alike (its writes slow down as the table grows). Medians of the rounds are reported.
        var results = new List<(string Name, Ingestion First, Ingestion Run, double RawPerSecond, double Ratio, double SmallFilePeakMiB, double PeakMiB)>();
        foreach (var (name, prefix, content, type) in (IEnumerable<(string, string, Func<string, int, byte[]>, string)>)
                 [("CSV (GB18030)", "c", (p, r) => Csv(Rows(p, rows, r)), "text/csv"), ("XLSX", "x", (p, r) => CatalogFiles.Xlsx(Rows(p, rows, r)), XlsxType)])
        {
            var version = await CatalogVersionAsync(client);
            var first = await IngestAsync(client, name, content(prefix, 0), type);
            await CatalogReloadedAsync(client, version);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}, first (inserts): {first.Applied} rows in {first.Seconds:F2} s ({first.PerSecond:N0}/s)"));
            var entities = await ReadBackAsync(table, prefix);

            // Memory: a small version of the catalog (its first rows only) replaced first, then the large ones; the catalog
            // the app holds is the same size throughout, so a peak that does not grow means the file is streamed.
            version = await CatalogVersionAsync(client);
            await IngestAsync(client, name, type == XlsxType ? CatalogFiles.Xlsx(Rows(prefix, small, -1)) : Csv(Rows(prefix, small, -1)), type);
            await CatalogReloadedAsync(client, version);
            var smallFilePeak = PeakResidentMiB(app.ProcessId);

            var runs = new List<(Ingestion Run, double Raw)>();
            for (var round = 1; round <= rounds; round++)
            {
                var bytes = content(prefix, round); // a new version: the same file again would be a duplicate, not ingested
                var raw = await RawUpsertAsync(table, entities, concurrency);
                version = await CatalogVersionAsync(client);
                var run = await IngestAsync(client, name, bytes, type);
                runs.Add((run, raw));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} round {round}: {bytes.Length / 1024.0 / 1024:F1} MiB, {run.Applied} rows applied in {run.Seconds:F2} s ({run.PerSecond:N0}/s); raw upsert {raw:N0}/s; ratio {run.PerSecond / raw:F2}"));
                await CatalogReloadedAsync(client, version); // not measured: the app reloads the changed catalog
            }
            var median = runs.OrderBy(r => r.Run.PerSecond / r.Raw).ElementAt(runs.Count / 2);
            results.Add((name, first, median.Run, median.Raw, median.Run.PerSecond / median.Raw, smallFilePeak, PeakResidentMiB(app.ProcessId)));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| Catalog | Rows | First ingestion (inserts) rows/s | Ingested rows/s (replaces) | Raw batch upsert rows/s | Ratio | App peak memory after a {small:N0}-row file | … after the {rows:N0}-row files |"));
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, first, run, raw, ratio, smallFilePeak, peak) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name}, median of {rounds} rounds | {run.Applied:N0} | {first.PerSecond:N0} | {run.PerSecond:N0} | {raw:N0} | {ratio:F2} | {smallFilePeak:F0} MiB | {peak:F0} MiB |"));
        }
        Console.WriteLine();
        foreach (var line in app.Output.Split('\n').Where(l => l.Contains(" ingested: ", StringComparison.Ordinal)).TakeLast(rounds))
        {
            Console.WriteLine("App: " + line.Trim());
        }
        Console.WriteLine("Ratio = ingested rows per second (document uploaded → report written, both passes) / raw entity-group upserts of the same entities per second (target ≥ 0.7).");
        return 0;
    }

    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private sealed record Ingestion(int Applied, double Seconds, double EndToEndSeconds)
    {
        public double PerSecond => Applied / Seconds;
    }

    /// <summary>Carrier rows spread over the 13 districts, alternating incubators and maker spaces; <paramref name="version"/> goes into the names.</summary>
    private static IEnumerable<string[]> Rows(string prefix, int count, int version = 0) => Enumerable.Range(0, count).Select(i =>
    {
        var district = HangzhouDistricts.All[i % HangzhouDistricts.All.Count];
        var id = string.Create(CultureInfo.InvariantCulture, $"b{prefix}-{i:d6}");
        return i % 2 == 0
            ? CatalogFiles.Incubator(id, $"{district.Name.Zh}创新孵化器{i}（第{version}版）", district.Name.Zh, district.Centre.Latitude, district.Centre.Longitude)
            : CatalogFiles.MakerSpace(id, $"{district.Name.Zh}众创空间{i}", district.Name.Zh);
    });

    private static byte[] Csv(IEnumerable<string[]> rows) => CatalogFiles.Csv(CatalogFiles.Gb18030, rows);

    private static async Task<Ingestion> IngestAsync(HttpClient client, string name, byte[] content, string contentType)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var started = Stopwatch.StartNew();
        using var response = await client.PostAsync(new Uri($"/api/bureau/documents?kind=catalog&fileName={Uri.EscapeDataString(name)}", UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Upload refused: {(int)response.StatusCode} {text}");
        }
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
        while (true)
        {
            await Task.Delay(50);
            using var poll = await client.GetAsync(new Uri($"/api/bureau/documents/{id}", UriKind.Relative));
            var document = JsonDocument.Parse(await poll.Content.ReadAsStringAsync()).RootElement;
            switch (document.GetProperty("status").GetString())
            {
                case "ingested":
                    var seconds = (document.GetProperty("finishedAt").GetDateTimeOffset() - document.GetProperty("uploadedAt").GetDateTimeOffset()).TotalSeconds;
                    return new Ingestion(document.GetProperty("counts").GetProperty("applied").GetInt32(), seconds, started.Elapsed.TotalSeconds);
                case "failed":
                    throw new InvalidOperationException("Ingestion failed: " + document);
            }
        }
    }

    /// <summary>The entities an ingestion wrote (ids starting <c>b{prefix}-</c>), read back as a writer would send them.</summary>
    private static async Task<List<TableEntity>> ReadBackAsync(TableClient source, string prefix)
    {
        var entities = new List<TableEntity>();
        var from = "b" + prefix + "-";
        var to = "b" + prefix + ".";
        await foreach (var entity in source.QueryAsync(TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey lt {to}")))
        {
            entities.Add(Strip(entity));
        }
        return entities;
    }

    /// <summary>The entities upserted the way ingestion writes them: entity-group batches (one district, ≤ 100), a few in flight.</summary>
    private static async Task<double> RawUpsertAsync(TableClient target, List<TableEntity> entities, int concurrency)
    {
        var batches = entities.GroupBy(e => e.PartitionKey).SelectMany(d => d.Chunk(TableClient.MaxTransactionActions)).ToList();
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (batch, cancellationToken) =>
            await target.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken));
        return entities.Count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The entity without the service's own properties (ETag, Timestamp), as a writer sends it.</summary>
    private static TableEntity Strip(TableEntity read)
    {
        var entity = new TableEntity(read.PartitionKey, read.RowKey);
        foreach (var (name, value) in read)
        {
            if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            {
                entity[name] = value;
            }
        }
        return entity;
    }

    /// <summary>The catalog version the app serves.</summary>
    private static async Task<long> CatalogVersionAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("catalog").GetProperty("version").GetInt64();
    }

    /// <summary>Waits until the app serves a catalog version after <paramref name="before"/> (it reloads all of it on a change).</summary>
    private static async Task CatalogReloadedAsync(HttpClient client, long before)
    {
        while (await CatalogVersionAsync(client) <= before)
        {
            await Task.Delay(200);
        }
        await Task.Delay(500);
    }
}
