using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// Registration of queue- and timer-triggered functions. A function is its folder's function.json plus a handler:
/// <code>
/// services.AddQueueTrigger&lt;ProcessApplicationHandler&gt;("ProcessApplication");
/// services.AddTimerTrigger&lt;SweepApplicationsHandler&gt;("SweepApplications");
/// app.MapFunctionTriggers();
/// </code>
/// Under the Functions host the host delivers: <c>POST /{FunctionName}</c> (mapped by <see cref="MapFunctionTriggers"/>).
/// Standalone, this server delivers itself: a queue listener per queue function and a scheduler per timer function.
/// Handlers are scoped: resolved from a scope of their own for every invocation.
/// </summary>
public static class TriggerRegistration
{
    /// <summary>Registers <typeparamref name="THandler"/> as the handler of the queue-triggered function <paramref name="functionName"/>, replacing any earlier registration of that function.</summary>
    public static IServiceCollection AddQueueTrigger<THandler>(this IServiceCollection services, string functionName)
        where THandler : class, IQueueTriggerHandler
    {
        services.Register(new RegisteredTrigger(functionName, TriggerKind.Queue, typeof(THandler)));
        services.AddKeyedScoped<IQueueTriggerHandler, THandler>(functionName);
        return services;
    }

    /// <summary>Registers <typeparamref name="THandler"/> as the handler of the timer-triggered function <paramref name="functionName"/>, replacing any earlier registration of that function.</summary>
    public static IServiceCollection AddTimerTrigger<THandler>(this IServiceCollection services, string functionName)
        where THandler : class, ITimerTriggerHandler
    {
        services.Register(new RegisteredTrigger(functionName, TriggerKind.Timer, typeof(THandler)));
        services.AddKeyedScoped<ITimerTriggerHandler, THandler>(functionName);
        return services;
    }

    /// <summary>
    /// The trigger infrastructure (also added by <see cref="AddQueueTrigger{THandler}"/> and <see cref="AddTimerTrigger{THandler}"/>):
    /// the startup check of registrations against the function.json files, the queue and timer options, and the standalone
    /// listeners and schedulers. Calling it more than once adds nothing.
    /// </summary>
    public static IServiceCollection AddFunctionTriggers(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(FunctionTriggerInvoker)))
        {
            return services;
        }
        services.AddSingleton<FunctionTriggerInvoker>();
        services.AddSingleton<HostTriggerEndpoint>();
        services.AddSingleton<QueueMessageWatcher>();
        services.AddOptions<QueueTriggerOptions>()
            .Configure(options =>
            {
                var hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
                if (File.Exists(hostJson))
                {
                    QueueTriggerOptions.ReadHostJson(options, File.ReadAllText(hostJson));
                }
            })
            .BindConfiguration(QueueTriggerOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueTriggerOptions>, QueueTriggerOptionsValidator>());
        services.AddOptions<TimerTriggerOptions>().BindConfiguration(TimerTriggerOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TimerTriggerOptions>, TimerTriggerOptionsValidator>());
        services.AddHostedService<TriggerRuntime>();
        return services;
    }

    /// <summary>
    /// In custom-handler mode, maps <c>POST /{FunctionName}</c> for every queue and timer function of the manifest, where the
    /// Functions host invokes them. Standalone, maps nothing: nobody outside may invoke a trigger.
    /// </summary>
    public static IEndpointRouteBuilder MapFunctionTriggers(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var endpoint = services.GetService<HostTriggerEndpoint>()
            ?? throw new InvalidOperationException("MapFunctionTriggers needs services.AddFunctionTriggers() (or AddQueueTrigger/AddTimerTrigger) first.");
        if (services.GetRequiredService<HostModeInfo>().Mode != HostMode.CustomHandler)
        {
            return endpoints;
        }
        var registered = services.GetServices<RegisteredTrigger>().ToDictionary(t => t.FunctionName, StringComparer.OrdinalIgnoreCase);
        foreach (var function in services.GetRequiredService<FunctionManifest>().Functions.Where(RegisteredTrigger.IsQueueOrTimer))
        {
            var trigger = registered.GetValueOrDefault(function.Name) is { } t && t.Matches(function) ? t : null;
            endpoints.MapPost("/" + function.Name, context => endpoint.InvokeAsync(context, function, trigger));
        }
        return endpoints;
    }

    /// <summary>
    /// The registered functions with their function.json definitions. A registration without a function.json of its
    /// trigger type, or a timer with an invalid schedule, is an error; a queue or timer function.json without a registered
    /// handler only a warning.
    /// </summary>
    /// <exception cref="InvalidOperationException">A registration does not fit the function.json files.</exception>
    internal static IReadOnlyList<(FunctionDefinition Function, RegisteredTrigger Trigger)> Match(
        FunctionManifest manifest, IEnumerable<RegisteredTrigger> registrations, Action<FunctionDefinition> warnUnregistered)
    {
        var matched = new List<(FunctionDefinition, RegisteredTrigger)>();
        foreach (var trigger in registrations)
        {
            if (!manifest.TryGet(trigger.FunctionName, out var function))
            {
                throw new InvalidOperationException(
                    $"A {trigger.BindingType} handler ({trigger.HandlerType.Name}) is registered for function '{trigger.FunctionName}', " +
                    $"but there is no {trigger.FunctionName}/function.json beside the executable.");
            }
            if (!trigger.Matches(function))
            {
                throw new InvalidOperationException(
                    $"Function '{function.Name}' is registered as a {trigger.BindingType} ({trigger.HandlerType.Name}), " +
                    $"but its function.json has a {function.Trigger.Type}.");
            }
            if (trigger.Kind == TriggerKind.Timer && !CronSchedule.TryParse(function.Trigger.Schedule, out _, out var error))
            {
                throw new InvalidOperationException($"Function '{function.Name}': {error}");
            }
            matched.Add((function, trigger));
        }
        foreach (var function in manifest.Functions.Where(RegisteredTrigger.IsQueueOrTimer))
        {
            if (!matched.Any(m => m.Item1 == function))
            {
                warnUnregistered(function);
            }
        }
        return matched;
    }

    private static void Register(this IServiceCollection services, RegisteredTrigger trigger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger.FunctionName);
        services.AddFunctionTriggers();
        foreach (var old in services.Where(d => !d.IsKeyedService && d.ImplementationInstance is RegisteredTrigger r &&
                                                r.FunctionName.Equals(trigger.FunctionName, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            var previous = (RegisteredTrigger)old.ImplementationInstance!;
            services.Remove(old);
            services.RemoveAllKeyed(previous.Kind == TriggerKind.Queue ? typeof(IQueueTriggerHandler) : typeof(ITimerTriggerHandler), previous.FunctionName);
        }
        services.AddSingleton(trigger);
    }
}
