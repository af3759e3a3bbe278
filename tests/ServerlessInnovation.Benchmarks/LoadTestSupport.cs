using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Benchmarks;

/// <summary>What the load tests that start the app share: options, unique storage names, waiting for the catalog, its peak memory.</summary>
internal static class LoadTestSupport
{
    public static async Task WaitUntilReadyAsync(HandlerProcess app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await app.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The app did not load its catalog: " + app.Output);
            }
            await Task.Delay(100);
        }
    }

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>VmHWM: the most resident memory the process has had, in MiB (Linux).</summary>
    public static double PeakResidentMiB(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }
}
