using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Benchmarks;

/// <summary>What the load tests that start the app share: options, unique storage names, its peak memory.</summary>
internal static class LoadTestSupport
{
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
