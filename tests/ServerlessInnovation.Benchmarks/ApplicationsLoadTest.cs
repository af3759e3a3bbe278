using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;
using static ServerlessInnovation.Benchmarks.LoadTestSupport;

namespace ServerlessInnovation.Benchmarks;

/// <summary>
/// Applications from <c>POST /api/applications</c> to their final status, through the app standalone (HTTP and its own
/// queue listener, with host.json's default polling) on Azurite, beside the raw queue cycle — send, receive, delete one
/// message — on the same Azurite in the same run, at the same concurrency. Everything is started here: Azurite (in
/// memory), then the app's build output as its own process over the seeded demo catalog.
/// Usage: <c>applications [--count 1000] [--concurrency 16] [--paced 40]</c>.
/// </summary>
internal static class ApplicationsLoadTest
{
    private static readonly StartupProfile Profile = new()
    {
        Stage = StartupStage.Yellow, RegisteredOn = new DateOnly(2026, 3, 1), Industry = Industries.ArtificialIntelligence, TeamSize = 6,
        RdStaffSharePercent = 50, LastYearRevenueCny = 300_000, LastYearRdExpenseCny = 200_000, Space = SpaceNeed.Area(120),
    };

    private static JsonObject ProfileJson() => new()
    {
        ["stage"] = "yellow", ["registeredOn"] = "2026-03-01", ["industry"] = "ai", ["teamSize"] = 6, ["rdStaffSharePercent"] = 50,
        ["lastYearRevenueCny"] = 300_000, ["lastYearRdExpenseCny"] = 200_000, ["space"] = new JsonObject { ["areaM2"] = 120 },
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(Option(args, "--count") ?? "1000", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Option(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        var paced = int.Parse(Option(args, "--paced") ?? "40", CultureInfo.InvariantCulture);
        var warmup = int.Parse(Option(args, "--warmup") ?? "300", CultureInfo.InvariantCulture);

        var azurite = await Azurite.Shared;
        var connection = StorageConnection.Parse(azurite.ConnectionString);
        Console.WriteLine($"Azurite (in memory) on {azurite.QueueEndpoint}; {Environment.ProcessorCount} cores shared by Azurite, the app and this load generator.");

        // The baseline: the least queue work a decision can take, one message sent, received and deleted. Measured before
        // and after the applications' burst, and averaged, so a slower or faster machine midway shifts both alike.
        var rawBefore = await RawQueueCycleAsync(connection, count, concurrency);

        var settings = new Dictionary<string, string>
        {
            ["Storage"] = azurite.ConnectionString,
            ["Catalog__CarrierTable"] = Unique("carriers"),
            ["Catalog__StateTable"] = Unique("state"),
            ["Catalog__SeedDemoCatalogWhenEmpty"] = "true",
            ["Applications__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Applications__ApplicationTable"] = Unique("apps"),
            ["Applications__RequestTable"] = Unique("requests"),
            ["ApplicationsQueue"] = Unique("applications"),
            ["Triggers__Timers__Container"] = Unique("timers"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var app = await HandlerProcess.StartStandaloneAsync(settings);
        await app.WaitUntilHealthyAsync();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false }) { BaseAddress = app.Client.BaseAddress };
        var applications = connection.GetTableServiceClient().GetTableClient(settings["Applications__ApplicationTable"]);
        var queue = connection.GetQueueServiceClient().GetQueueClient(settings["ApplicationsQueue"]);
        var admitting = DemoCatalog.Hangzhou().Carriers
            .Where(c => Eligibility.Failures(c, Profile, ChinaStandardTime.DayOf(DateTimeOffset.UtcNow), TechSmeAssessment.Assess(Profile)).Count == 0)
            .Select(c => c.Id)
            .ToArray();
        Console.WriteLine($"App standalone at {app.Client.BaseAddress}: host.json polling, {admitting.Length} demo carriers admit the profile; each application chooses 3 of them.");

        // Warm-up, not measured: the app just started, and its JIT compiles the hot paths again, optimized, for a while
        // (tiered compilation); on 2 shared cores that would take CPU from the emulator during the burst.
        await SubmitAllAsync(client, admitting, warmup, concurrency);
        await WaitUntilDecidedAsync(applications, queue, warmup);
        await Task.Delay(TimeSpan.FromSeconds(3));

        // Throughput: a burst, submitted as fast as the connections allow, timed until the last decision is recorded.
        var started = DateTimeOffset.UtcNow;
        var submitted = await SubmitAllAsync(client, admitting, count, concurrency);
        var burst = await WaitUntilDecidedAsync(applications, queue, warmup + count);
        var decidedBurst = burst.Where(a => submitted.Contains(a.Id)).ToList();
        var burstSeconds = (decidedBurst.Max(a => a.DecidedAt) - started).TotalSeconds;
        var perSecond = count / burstSeconds;
        var rawAfter = await RawQueueCycleAsync(connection, count, concurrency);
        var raw = new Cycles((rawBefore.PerSecond + rawAfter.PerSecond) / 2, [.. rawBefore.Latencies.Concat(rawAfter.Latencies).Order()]);

        // Latency: applications one at a time at random intervals up to 2.5 s, so the listener is often idle and backed off.
        var pacedIds = new HashSet<string>();
        for (var i = 0; i < paced; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2_500)));
            pacedIds.UnionWith(await SubmitAllAsync(client, admitting, 1, 1));
        }
        var all = await WaitUntilDecidedAsync(applications, queue, warmup + count + paced);
        var latencies = all.Where(a => pacedIds.Contains(a.Id)).Select(a => (a.DecidedAt - a.SubmittedAt).TotalMilliseconds).Order().ToArray();
        var burstLatencies = decidedBurst.Select(a => (a.DecidedAt - a.SubmittedAt).TotalMilliseconds).Order().ToArray();

        Console.WriteLine();
        Console.WriteLine("| Measure | Per second | Median ms | p95 ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row($"Raw queue cycle (send + receive + delete), {concurrency} at a time, before the burst", rawBefore.PerSecond, rawBefore.Latencies));
        Console.WriteLine(Row($"Raw queue cycle, after the burst", rawAfter.PerSecond, rawAfter.Latencies));
        Console.WriteLine(Row($"Applications, POST → final status, burst of {count}", perSecond, burstLatencies));
        Console.WriteLine(Row($"Applications one at a time ({paced}), submission → decision", double.NaN, latencies));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Applications per second / raw queue cycles per second (mean of before and after) = {perSecond / raw.PerSecond:F2} (target ≥ 0.5)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Median submission → decision, one at a time = {Percentile(latencies, 0.5):F0} ms (target ≤ 1000 ms)"));
        Console.WriteLine($"Decisions of the burst: {decidedBurst.Count(a => a.Status == "accepted")} accepted, {decidedBurst.Count(a => a.Status == "waitlisted")} waitlisted, " +
                          $"{decidedBurst.Count(a => a.Status is not ("accepted" or "waitlisted"))} other.");
        return 0;
    }

    private sealed record Cycles(double PerSecond, double[] Latencies);

    private static async Task<Cycles> RawQueueCycleAsync(StorageConnection connection, int count, int concurrency)
    {
        var queue = connection.GetQueueServiceClient(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient(Unique("raw"));
        await queue.CreateIfNotExistsAsync();
        var text = """{"applicationIds":["20261122-0123456789abcdef0123456789abcdef"]}""";
        // Warm-up, not measured: the emulator's and this process's JIT, at the same concurrency, as long as the measurement.
        await RunAsync(count);
        var latencies = new List<double>();
        var stopwatch = Stopwatch.StartNew();
        await RunAsync(count, latencies);
        var perSecond = count / stopwatch.Elapsed.TotalSeconds;
        await queue.DeleteIfExistsAsync();
        return new Cycles(perSecond, [.. latencies.Order()]);

        Task RunAsync(int cycles, List<double>? latencies = null)
        {
            var remaining = cycles;
            return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    await CycleAsync();
                    if (latencies is not null)
                    {
                        lock (latencies)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        }
                    }
                }
            })));
        }

        async Task CycleAsync()
        {
            await queue.SendMessageAsync(text);
            while (true)
            {
                if ((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value is [var message])
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    return;
                }
            }
        }
    }

    private static async Task<HashSet<string>> SubmitAllAsync(HttpClient client, string[] carriers, int count, int concurrency)
    {
        var ids = new HashSet<string>();
        var remaining = count;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var chosen = Random.Shared.GetItems(carriers, 3).Distinct().Select(id => (JsonNode)id!).ToArray();
                using var response = await client.PostAsJsonAsync("/api/applications", new JsonObject
                {
                    ["profile"] = ProfileJson(),
                    ["carrierIds"] = new JsonArray(chosen),
                });
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"A submission was refused with {(int)response.StatusCode}: {body}");
                }
                var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
                lock (ids)
                {
                    ids.Add(id);
                }
            }
        })));
        return ids;
    }

    private sealed record Decided(string Id, string Status, DateTimeOffset SubmittedAt, DateTimeOffset DecidedAt);

    /// <summary>
    /// Waits until <paramref name="count"/> applications have a decision; returns them all. While messages are queued it
    /// polls only the queue's message count — cheap for the emulator, so the measurement barely competes with the app —
    /// and reads the table once the queue is empty.
    /// </summary>
    private static async Task<List<Decided>> WaitUntilDecidedAsync(TableClient applications, QueueClient queue, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            if ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0)
            {
                var decided = new List<Decided>();
                await foreach (var entity in applications.QueryAsync(select: ["RowKey", "Status", "SubmittedAt", "DecidedAt"]))
                {
                    if (entity.GetDateTimeOffset("DecidedAt") is { } at)
                    {
                        decided.Add(new Decided(entity.RowKey, entity.GetString("Status")!, entity.GetDateTimeOffset("SubmittedAt")!.Value, at));
                    }
                }
                if (decided.Count >= count)
                {
                    return decided;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not all of {count} applications were decided in 10 minutes.");
            }
            await Task.Delay(100);
        }
    }

    private static string Row(string name, double perSecond, double[] latencies) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {(double.IsNaN(perSecond) ? "–" : perSecond.ToString("N0", CultureInfo.InvariantCulture))} | {Percentile(latencies, 0.5):F0} | {Percentile(latencies, 0.95):F0} |");

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
