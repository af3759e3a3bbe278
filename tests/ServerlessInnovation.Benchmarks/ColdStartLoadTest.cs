using System.Globalization;
using ServerlessInnovation.Tests.Infrastructure;
using static ServerlessInnovation.Benchmarks.LoadTestSupport;

namespace ServerlessInnovation.Benchmarks;

/// <summary>
/// The handler's cold start as the Functions host sees it: from starting the process to the first answer to <c>GET /</c>
/// (the host's readiness probe), started with <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> as the host starts it. The packaged
/// executable (<c>npm run package</c>: self-contained, composite ReadyToRun) beside the baseline measured in the same run,
/// <c>dotnet ServerlessInnovation.Functions.dll</c> from the build output, started in turn so that a busier moment of the
/// machine falls on both. The catalog is not needed for readiness (it loads in the background), so its table is empty.
/// Usage: <c>coldstart [--starts 10] [--package artifacts/package]</c>.
/// </summary>
internal static class ColdStartLoadTest
{
    private const double TargetMilliseconds = 400;

    public static async Task<int> RunAsync(string[] args)
    {
        var starts = int.Parse(Option(args, "--starts") ?? "10", CultureInfo.InvariantCulture);
        var packageFolder = Path.GetFullPath(Option(args, "--package") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "package"));
        var executable = Path.Combine(packageFolder, "ServerlessInnovation.Functions");
        if (!File.Exists(executable))
        {
            await Console.Error.WriteLineAsync($"No packaged handler at {executable}: run `npm run package` first.");
            return 2;
        }

        var azurite = await Azurite.Shared;
        Console.WriteLine($"{Environment.ProcessorCount} cores; {starts} starts each, in turn, after one unmeasured start each.");
        Console.WriteLine($"  packaged:  {executable}");
        Console.WriteLine($"  baseline:  dotnet {Path.Combine(RepositoryPaths.FunctionsOutput, "ServerlessInnovation.Functions.dll")}");

        var packaged = new List<double>();
        var baseline = new List<double>();
        for (var i = -1; i < starts; i++)
        {
            foreach (var (path, times) in new[] { (executable, packaged), ((string?)null, baseline) })
            {
                await using var handler = await HandlerProcess.StartAsync(Settings(azurite.ConnectionString), path);
                if (handler.HasExited)
                {
                    await Console.Error.WriteLineAsync("The handler exited:\n" + handler.Output);
                    return 1;
                }
                if (i >= 0)
                {
                    times.Add(handler.TimeToReady.TotalMilliseconds);
                }
            }
        }

        var packagedMedian = Median(packaged);
        var baselineMedian = Median(baseline);
        Console.WriteLine();
        Console.WriteLine("Process start to the first answer to GET / (ms):   median    min    max");
        Console.WriteLine($"  packaged (self-contained, composite R2R)      {packagedMedian,8:F0} {packaged.Min(),6:F0} {packaged.Max(),6:F0}");
        Console.WriteLine($"  dotnet dll (framework-dependent, JIT)         {baselineMedian,8:F0} {baseline.Min(),6:F0} {baseline.Max(),6:F0}");
        Console.WriteLine($"  ratio packaged / dotnet dll: {packagedMedian / baselineMedian:F2}");
        Console.WriteLine($"  target {TargetMilliseconds:F0} ms: {(packagedMedian <= TargetMilliseconds ? "met" : "not met")} by the packaged median");
        return 0;
    }

    private static Dictionary<string, string> Settings(string connectionString) => new()
    {
        ["Storage"] = connectionString,
        ["Catalog__CarrierTable"] = Unique("carriers"),
        ["Catalog__StateTable"] = Unique("state"),
        ["Applications__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["ApplicationsQueue"] = Unique("applications"),
        ["DocumentsQueue"] = Unique("documents"),
    };

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
