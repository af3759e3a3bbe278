using Microsoft.Extensions.Options;
using System.Text.Json;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Hosting;

namespace ServerlessInnovation.Functions.ProcessApplication;

/// <summary>
/// The queue-triggered <c>ProcessApplication</c> function: <c>{"applicationIds":["…"]}</c> in, decisions recorded. Whichever
/// path delivered the message (the Functions host or the standalone listener), this is the one code path that decides.
/// A message that is not one this service sent fails every time and so ends in <c>applications-poison</c>; when a real
/// message's last allowed attempt fails, its applications still undecided are marked failed first, so they show, not vanish.
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
        var applicationIds = ReadApplicationIds(message.Text);
        try
        {
            await processor.ProcessAsync(applicationIds, redelivered: message.DequeueCount > 1, cancellationToken);
        }
        catch (Exception exception) when (message.DequeueCount >= queueOptions.Value.MaxDequeueCount && exception is not OperationCanceledException)
        {
            LogGivingUp(logger, exception, applicationIds.Count, message.DequeueCount);
            foreach (var applicationId in applicationIds)
            {
                try
                {
                    await processor.MarkFailedAsync(applicationId,
                        new("系统多次处理失败，已转人工处理，我们会尽快联系您", "Processing failed repeatedly; a person will follow up with you"), cancellationToken);
                }
                catch (Exception markFailure) when (markFailure is not OperationCanceledException)
                {
                    LogCouldNotMarkFailed(logger, markFailure, applicationId);
                }
            }
            throw;
        }
    }

    /// <summary>The ids in a message this service sent (1 to 32 distinct ones); anything else throws <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<string> ReadApplicationIds(string text)
    {
        if (text.Length > MaxMessageLength)
        {
            throw new FormatException("The message is too long to be an application message.");
        }
        try
        {
            var message = JsonSerializer.Deserialize(text, ApplicationJsonContext.Default.ApplicationMessage);
            return message?.ApplicationIds is { Count: > 0 and <= ApplicationMessage.MaxApplications } ids
                   && ids.All(ApplicationRecord.IsValidId) && ids.Distinct().Count() == ids.Count
                ? ids
                : throw new FormatException($"The message does not name 1 to {ApplicationMessage.MaxApplications} distinct, valid application ids.");
        }
        catch (JsonException exception)
        {
            throw new FormatException("The message is not an application message.", exception);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Applications ({Count}) failed on attempt {DequeueCount}, the last allowed; marking those undecided failed")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, int count, long dequeueCount);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Could not mark application {ApplicationId} failed")]
    private static partial void LogCouldNotMarkFailed(ILogger logger, Exception exception, string applicationId);
}
