namespace ServerlessInnovation.Functions.Hosting;

public enum TriggerKind
{
    Queue = 1,
    Timer = 2,
}

/// <summary>A queue- or timer-triggered function and its handler, as registered by <see cref="TriggerRegistration"/>.</summary>
/// <param name="FunctionName">The function's folder name, which is also the handler's DI key.</param>
public sealed record RegisteredTrigger(string FunctionName, TriggerKind Kind, Type HandlerType)
{
    /// <summary>The function.json trigger type this registration needs.</summary>
    public string BindingType => Kind == TriggerKind.Queue ? "queueTrigger" : "timerTrigger";

    /// <summary>Whether <paramref name="function"/> is triggered the way this registration expects.</summary>
    public bool Matches(FunctionDefinition function) => string.Equals(function.Trigger.Type, BindingType, StringComparison.OrdinalIgnoreCase);

    public static bool IsQueueOrTimer(FunctionDefinition function) =>
        function.Trigger.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase) ||
        function.Trigger.Type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Runs a function's registered handler, resolved from a DI scope of its own for each invocation.</summary>
public sealed class FunctionTriggerInvoker(IServiceScopeFactory scopes)
{
    public async Task InvokeAsync(RegisteredTrigger trigger, QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredKeyedService<IQueueTriggerHandler>(trigger.FunctionName);
        await handler.HandleAsync(message, cancellationToken);
    }

    public async Task InvokeAsync(RegisteredTrigger trigger, TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredKeyedService<ITimerTriggerHandler>(trigger.FunctionName);
        await handler.HandleAsync(timer, cancellationToken);
    }
}
