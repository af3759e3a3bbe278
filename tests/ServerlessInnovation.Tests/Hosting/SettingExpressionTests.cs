using Microsoft.Extensions.Configuration;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary><c>%Setting%</c> expressions in function.json, resolved from the app settings as the Functions host resolves them.</summary>
public sealed class SettingExpressionTests : IDisposable
{
    private readonly DirectoryInfo _appRoot = Directory.CreateTempSubdirectory("manifest-");

    public void Dispose() => _appRoot.Delete(recursive: true);

    private void Function(string name, string bindingJson)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_appRoot.FullName, name));
        File.WriteAllText(Path.Combine(folder.FullName, "function.json"), $$"""{ "bindings": [ {{bindingJson}} ] }""");
    }

    private static IConfiguration Settings(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();

    [Fact]
    public void QueueNamesSchedulesAndConnectionsAreResolvedFromTheSettings()
    {
        Function("Work", """{ "type": "queueTrigger", "direction": "in", "name": "message", "queueName": "%Queue%-poison", "connection": "%Conn%" }""");
        Function("Tick", """{ "type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "%Every% * * * *", "runOnStartup": true, "useMonitor": false }""");

        var manifest = FunctionManifest.Load(_appRoot.FullName, Settings(("Queue", "applications"), ("Conn", "Storage"), ("Every", "0 */5")));

        Assert.True(manifest.TryGet("Work", out var work));
        Assert.Equal("applications-poison", work.Trigger.QueueName);
        Assert.Equal("Storage", work.Trigger.Connection);
        Assert.True(manifest.TryGet("Tick", out var tick));
        Assert.Equal("0 */5 * * * *", tick.Trigger.Schedule);
        Assert.True(tick.Trigger.RunOnStartup);
        Assert.False(tick.Trigger.UseMonitor);
    }

    [Fact]
    public void DoubleUnderscoreInASettingNameReachesANestedSetting()
    {
        Function("Work", """{ "type": "queueTrigger", "direction": "in", "name": "message", "queueName": "%Queues__Applications%" }""");

        var manifest = FunctionManifest.Load(_appRoot.FullName, Settings(("Queues:Applications", "nested")));

        Assert.True(manifest.TryGet("Work", out var work));
        Assert.Equal("nested", work.Trigger.QueueName);
    }

    [Fact]
    public void ASettingNamedWithDoubleUnderscoreItselfWins()
    {
        Function("Work", """{ "type": "queueTrigger", "direction": "in", "name": "message", "queueName": "%Queues__Applications%" }""");

        var manifest = FunctionManifest.Load(_appRoot.FullName, Settings(("Queues__Applications", "flat"), ("Queues:Applications", "nested")));

        Assert.True(manifest.TryGet("Work", out var work));
        Assert.Equal("flat", work.Trigger.QueueName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AnUnresolvedSettingStopsLoadingWithAMessageNamingTheFunctionAndTheSetting(string? value)
    {
        Function("ProcessThings", """{ "type": "queueTrigger", "direction": "in", "name": "message", "queueName": "%ThingsQueue%" }""");

        var error = Assert.Throws<InvalidOperationException>(() => FunctionManifest.Load(_appRoot.FullName, Settings(("ThingsQueue", value))));

        Assert.Contains("'ProcessThings'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ThingsQueue'", error.Message, StringComparison.Ordinal);
        Assert.Contains("queueName '%ThingsQueue%'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesWithoutExpressionsAndHttpRoutesAreLeftAsWritten()
    {
        Function("Work", """{ "type": "queueTrigger", "direction": "in", "name": "message", "queueName": "plain", "connection": "Storage" }""");
        Function("Page", """{ "type": "httpTrigger", "direction": "in", "name": "req", "route": "things/{id}" }""");

        var manifest = FunctionManifest.Load(_appRoot.FullName, Settings());

        Assert.True(manifest.TryGet("Work", out var work));
        Assert.Equal("plain", work.Trigger.QueueName);
        Assert.True(manifest.TryGet("Page", out var page));
        Assert.Equal("things/{id}", page.Trigger.Route);
    }

    [Fact]
    public void TheAppsFunctionsResolveFromItsDefaultSettings()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryPaths.FunctionsOutput, "appsettings.json")).Build();

        var manifest = FunctionManifest.Load(RepositoryPaths.FunctionsOutput, settings);

        Assert.True(manifest.TryGet("ProcessApplication", out var process));
        Assert.Equal("applications", process.Trigger.QueueName);
        Assert.True(manifest.TryGet("SweepApplications", out var sweep));
        Assert.Equal("0 */1 * * * *", sweep.Trigger.Schedule);
        CronSchedule.Parse(sweep.Trigger.Schedule!);
    }
}
