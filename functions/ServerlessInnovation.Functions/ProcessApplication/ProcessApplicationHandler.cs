using Microsoft.Extensions.Options;
using System.Text.Json;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Hosting;

namespace ServerlessInnovation.Functions.ProcessApplication;

/// <summary>
/// The queue-triggered <c>ProcessApplication</c> function: <c>{"applicationId":"…"}</c> in, a decision recorded. Whichever
/// path delivered the message (the Functions host or the standalone listener), this is the one code path that decides.
/// A message that is not one this service sent fails every time and so ends in <c>applications-poison</c>; when a real
/// application's last allowed attempt fails, the application is marked failed first, so it shows, not vanishes.
/// </summary>
public sealed partial class ProcessApplicationHandler(
    ApplicationProcessor processor,
    IOptions<QueueTriggerOptions> queueOptions,
    ILogger<ProcessApplicationHandler> logger) : IQueueTriggerHandler
{
    public const string Name = "ProcessApplication";
    private const int MaxMessageLength = 4096;

    public async Task HandleAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        var applicationId = ReadApplicationId(message.Text);
        try
        {
            await processor.ProcessAsync(applicationId, redelivered: message.DequeueCount > 1, cancellationToken);
        }
        catch (Exception exception) when (message.DequeueCount >= queueOptions.Value.MaxDequeueCount && exception is not OperationCanceledException)
        {
            LogGivingUp(logger, exception, applicationId, message.DequeueCount);
            try
            {
                await processor.MarkFailedAsync(applicationId,
                    new("系统多次处理失败，已转人工处理，我们会尽快联系您", "Processing failed repeatedly; a person will follow up with you"), cancellationToken);
            }
            catch (Exception markFailure) when (markFailure is not OperationCanceledException)
            {
                LogCouldNotMarkFailed(logger, markFailure, applicationId);
            }
            throw;
        }
    }

    /// <summary>The id in a message this service sent; anything else throws <see cref="FormatException"/>.</summary>
    public static string ReadApplicationId(string text)
    {
        if (text.Length > MaxMessageLength)
        {
            throw new FormatException("The message is too long to be an application message.");
        }
        try
        {
            var message = JsonSerializer.Deserialize(text, ApplicationJsonContext.Default.ApplicationMessage);
            return message?.ApplicationId is { } id && ApplicationRecord.IsValidId(id)
                ? id
                : throw new FormatException("The message names no valid application id.");
        }
        catch (JsonException exception)
        {
            throw new FormatException("The message is not an application message.", exception);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Application {ApplicationId} failed on attempt {DequeueCount}, the last allowed; marking it failed")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, string applicationId, long dequeueCount);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Could not mark application {ApplicationId} failed")]
    private static partial void LogCouldNotMarkFailed(ILogger logger, Exception exception, string applicationId);
}
