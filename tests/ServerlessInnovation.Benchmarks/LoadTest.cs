using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace ServerlessInnovation.Benchmarks;

/// <summary>
/// Served throughput over loopback: <c>POST /api/matches</c> against <c>GET /api/health</c> on the same running
/// server, in the same run, so the ratio says what matching costs on top of the HTTP stack.
/// Usage: <c>load [--url http://localhost:7071] [--seconds 10] [--connections 16]</c> with the server already running (npm start).
/// </summary>
internal static class LoadTest
{
    private const string MatchBody = """
        {"stage":"yellow","registeredOn":"2026-01-15","industry":"ai","teamSize":8,"rdStaffSharePercent":50,
         "lastYearRevenueCny":800000,"lastYearRdExpenseCny":200000,"space":{"areaM2":150},
         "wantedServices":["seed-fund","mentoring","registered-address"],"preferredDistricts":["xihu","binjiang"],
         "location":{"latitude":30.2741,"longitude":120.1551},"top":10}
        """;

    private sealed record Measurement(string Name, long Requests, long Failures, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Requests / Seconds;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var url = Option(args, "--url") ?? "http://localhost:7071";
        var seconds = int.Parse(Option(args, "--seconds") ?? "10", CultureInfo.InvariantCulture);
        var connections = int.Parse(Option(args, "--connections") ?? "16", CultureInfo.InvariantCulture);

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            BaseAddress = new Uri(url),
        };
        try
        {
            using var probe = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
            if (probe.StatusCode != HttpStatusCode.OK)
            {
                Console.Error.WriteLine($"{url}/api/health answered {(int)probe.StatusCode}: start the server (npm start) and wait for the catalog.");
                return 2;
            }
        }
        catch (HttpRequestException exception)
        {
            Console.Error.WriteLine($"No server at {url} ({exception.Message}). Start it with: npm start");
            return 2;
        }

        HttpRequestMessage Health() => new(HttpMethod.Get, "/api/health");
        HttpRequestMessage Match() => new(HttpMethod.Post, "/api/matches") { Content = new StringContent(MatchBody, Encoding.UTF8, "application/json") };

        Console.WriteLine($"Load on {url}: {connections} connections, {seconds} s per endpoint after a 3 s warm-up, on {Environment.ProcessorCount} cores shared with the server.");
        await MeasureAsync(client, "warm-up", Match, 3, connections);
        var health = await MeasureAsync(client, "GET /api/health", Health, seconds, connections);
        var matches = await MeasureAsync(client, "POST /api/matches", Match, seconds, connections);

        Console.WriteLine();
        Console.WriteLine("| Endpoint | Requests/s | p50 ms | p99 ms | Failures |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var m in new[] { health, matches })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {m.Name} | {m.PerSecond:N0} | {m.P50Ms:F2} | {m.P99Ms:F2} | {m.Failures} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nMatches per second / health per second = {matches.PerSecond / health.PerSecond:F2}"));
        return health.Failures + matches.Failures == 0 ? 0 : 1;
    }

    private static async Task<Measurement> MeasureAsync(HttpClient client, string name, Func<HttpRequestMessage> request, int seconds, int connections)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            long failures = 0;
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                using var message = request();
                using var response = await client.SendAsync(message);
                await response.Content.CopyToAsync(Stream.Null);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    failures++;
                }
            }
            return (latencies, failures);
        })).ToArray();
        var results = await Task.WhenAll(workers);
        var all = results.SelectMany(r => r.latencies).Order().ToArray();
        return new Measurement(name, all.Length, results.Sum(r => r.failures), seconds,
            all.Length == 0 ? 0 : all[all.Length / 2], all.Length == 0 ? 0 : all[(int)(all.Length * 0.99)]);
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
