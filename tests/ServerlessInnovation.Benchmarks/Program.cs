using BenchmarkDotNet.Running;

namespace ServerlessInnovation.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["load", .. var rest])
        {
            return await LoadTest.RunAsync(rest);
        }
        if (args is ["applications", .. var options])
        {
            return await ApplicationsLoadTest.RunAsync(options);
        }
        if (args is ["ingestion", .. var ingestionOptions])
        {
            return await IngestionLoadTest.RunAsync(ingestionOptions);
        }
        if (args is ["statistics", .. var statisticsOptions])
        {
            return await StatisticsLoadTest.RunAsync(statisticsOptions);
        }
        if (args is ["coldstart", .. var coldStartOptions])
        {
            return await ColdStartLoadTest.RunAsync(coldStartOptions);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
