using System.Diagnostics;
using System.Text.Json;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// Queue and timer functions as the Functions host invokes them in custom-handler mode: <c>POST /{FunctionName}</c> with
/// <c>{"Data":{...},"Metadata":{...}}</c>. The handler's success is a 200 <c>{"Outputs":{},"Logs":[...],"ReturnValue":null}</c>
/// (the host then deletes the message); its exception a 500, which the host counts as a failed invocation (the message
/// comes back and is poisoned after <c>maxDequeueCount</c>); a payload without the trigger's value a 400.
/// </summary>
public sealed partial class HostTriggerEndpoint(FunctionTriggerInvoker invoker, ILogger<HostTriggerEndpoint> logger)
{
    /// <summary>Serves one function; <paramref name="trigger"/> is null when no handler is registered for it.</summary>
    public async Task InvokeAsync(HttpContext context, FunctionDefinition function, RegisteredTrigger? trigger)
    {
        var started = Stopwatch.GetTimestamp();
        var invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
        using var payload = await HttpInvocationMiddleware.ReadPayloadAsync(context);
        QueueTriggerMessage? message = null;
        TimerTriggerInfo? timer = null;
        var isQueue = function.Trigger.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase);
        var readable = payload is not null && (isQueue
            ? HostTriggerPayload.TryReadQueueMessage(payload.RootElement, function.Trigger.Name, out message)
            : HostTriggerPayload.TryReadTimer(payload.RootElement, function.Trigger.Name, out timer));
        if (!readable)
        {
            LogMalformed(logger, function.Name, invocationId);
            await Problems.BadRequest(new("调用负载不是有效的触发器负载", $"The invocation payload carries no valid {function.Trigger.Type} value")).ExecuteAsync(context);
            return;
        }
        if (trigger is null)
        {
            LogNoHandler(logger, function.Name, invocationId);
            await Problems.Unexpected().ExecuteAsync(context);
            return;
        }

        try
        {
            if (message is not null)
            {
                await invoker.InvokeAsync(trigger, message, context.RequestAborted);
            }
            else
            {
                await invoker.InvokeAsync(trigger, timer!, context.RequestAborted);
            }
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The host only needs to know that it failed; what failed goes to the log, never to the answer.
            LogFailed(logger, exception, function.Name, invocationId, message?.Id, message?.DequeueCount);
            await Problems.Unexpected().ExecuteAsync(context);
            return;
        }

        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = ApiJsonContext.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Outputs");
            writer.WriteEndObject();
            writer.WriteStartArray("Logs");
            writer.WriteStringValue($"{function.Name} succeeded in {elapsedMs} ms");
            writer.WriteEndArray();
            writer.WriteNull("ReturnValue");
            writer.WriteEndObject();
        }
        LogSucceeded(logger, function.Name, invocationId, message?.Id, message?.DequeueCount, elapsedMs);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Host invocation {InvocationId} of {Function} succeeded in {ElapsedMs} ms (message {MessageId}, dequeue count {DequeueCount})")]
    private static partial void LogSucceeded(ILogger logger, string function, string invocationId, string? messageId, long? dequeueCount, long elapsedMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Host invocation {InvocationId} of {Function} failed (message {MessageId}, dequeue count {DequeueCount})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string invocationId, string? messageId, long? dequeueCount);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Host invocation {InvocationId} of {Function} carried no valid trigger payload")]
    private static partial void LogMalformed(ILogger logger, string function, string invocationId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Host invocation {InvocationId} of {Function} failed: no handler is registered for it")]
    private static partial void LogNoHandler(ILogger logger, string function, string invocationId);
}
