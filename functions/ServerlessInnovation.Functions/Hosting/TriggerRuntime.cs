namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// At startup, checks the registered queue and timer functions against their function.json files (resolving the
/// manifest's <c>%Setting%</c> expressions, so a missing setting stops startup too). Standalone, it then runs a queue
/// listener per queue function and a scheduler per timer function until the app stops.
/// </summary>
internal sealed partial class TriggerRuntime(IServiceProvider services, ILogger<TriggerRuntime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        TriggerRegistration.Match(
            services.GetRequiredService<FunctionManifest>(),
            services.GetServices<RegisteredTrigger>(),
            function => LogUnregistered(logger, function.Name, function.Trigger.Type));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Function {Function} has a {TriggerType} in its function.json but no registered handler: its invocations fail")]
    private static partial void LogUnregistered(ILogger logger, string function, string triggerType);
}
