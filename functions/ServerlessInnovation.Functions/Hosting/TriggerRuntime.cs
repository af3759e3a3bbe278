using Microsoft.Extensions.Options;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Queues;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// At startup, checks the registered queue and timer functions against their function.json files (resolving the
/// manifest's <c>%Setting%</c> expressions, so a missing setting stops startup too). Standalone, it then runs a
/// <see cref="QueueListener"/> per queue function and a <see cref="TimerScheduler"/> per timer function until the app
/// stops — except for functions disabled with the host's app setting <c>AzureWebJobs.{Function}.Disabled</c> (or
/// <c>AzureWebJobs__{Function}__Disabled</c>). Under the Functions host, the host delivers and this runs nothing.
/// </summary>
internal sealed partial class TriggerRuntime(IServiceProvider services, ILogger<TriggerRuntime> logger) : IHostedService, IDisposable
{
    private readonly List<QueueListener> _listeners = [];
    private readonly List<TimerScheduler> _schedulers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var matched = TriggerRegistration.Match(
            services.GetRequiredService<FunctionManifest>(),
            services.GetServices<RegisteredTrigger>(),
            function => LogUnregistered(logger, function.Name, function.Trigger.Type));
        if (services.GetRequiredService<HostModeInfo>().Mode != HostMode.Standalone)
        {
            return Task.CompletedTask;
        }

        var configuration = services.GetRequiredService<IConfiguration>();
        var time = services.GetRequiredService<TimeProvider>();
        var invoker = services.GetRequiredService<FunctionTriggerInvoker>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        foreach (var (function, trigger) in matched)
        {
            if (IsDisabled(configuration, function.Name))
            {
                LogDisabled(logger, function.Name);
                continue;
            }
            if (trigger.Kind == TriggerKind.Queue)
            {
                var listener = new QueueListener(function, trigger, services.GetRequiredService<QueueServiceClient>(),
                    services.GetRequiredService<IOptions<QueueTriggerOptions>>().Value, invoker,
                    services.GetRequiredService<QueueMessageWatcher>(), time, loggers.CreateLogger<QueueListener>());
                _listeners.Add(listener);
                listener.Start();
            }
            else
            {
                var scheduler = new TimerScheduler(function, trigger, services.GetRequiredService<BlobServiceClient>(),
                    services.GetRequiredService<IOptions<TimerTriggerOptions>>().Value, invoker, time, loggers.CreateLogger<TimerScheduler>());
                _schedulers.Add(scheduler);
                scheduler.Start();
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Stops every listener and scheduler; after <see cref="Dispose"/> (a second stop of a disposed host), nothing.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_listeners.Select(l => l.StopAsync(cancellationToken)).Concat(_schedulers.Select(s => s.StopAsync(cancellationToken))));

    public void Dispose()
    {
        _listeners.ForEach(l => l.Dispose());
        _schedulers.ForEach(s => s.Dispose());
    }

    /// <summary>The Functions host's switch for turning one function off, honoured standalone too.</summary>
    public static bool IsDisabled(IConfiguration configuration, string functionName) =>
        bool.TryParse(configuration[$"AzureWebJobs.{functionName}.Disabled"] ?? configuration[$"AzureWebJobs:{functionName}:Disabled"], out var disabled) && disabled;

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Function {Function} has a {TriggerType} in its function.json but no registered handler: its invocations fail")]
    private static partial void LogUnregistered(ILogger logger, string function, string triggerType);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Function {Function} is disabled by its AzureWebJobs.{Function}.Disabled setting: not delivered here")]
    private static partial void LogDisabled(ILogger logger, string function);
}
