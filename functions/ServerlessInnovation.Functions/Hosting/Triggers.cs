namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// A queue message as a queue-triggered function sees it, whichever way it arrived: from the Functions host's invocation
/// payload, or from the standalone listener. <see cref="Text"/> is already decoded (the queue's base64 undone).
/// </summary>
/// <param name="DequeueCount">How many times the message has been received, this time included (1 on the first try).</param>
/// <param name="PopReceipt">Null when the host delivered it (the host owns the message and deletes it).</param>
public sealed record QueueTriggerMessage(
    string Id,
    string Text,
    long DequeueCount,
    string? PopReceipt,
    DateTimeOffset? InsertedOn,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset? NextVisibleOn);

/// <summary>
/// A queue-triggered function: the one code path that acts on a message. Return to succeed (the message is deleted);
/// throw to fail (the message comes back after the visibility timeout, and goes to <c>&lt;queue&gt;-poison</c> once it has
/// failed <c>maxDequeueCount</c> times). Must be idempotent: delivery is at least once.
/// </summary>
public interface IQueueTriggerHandler
{
    Task HandleAsync(QueueTriggerMessage message, CancellationToken cancellationToken);
}

/// <summary>A timer occurrence as a timer-triggered function sees it, from the host's payload or the standalone scheduler.</summary>
/// <param name="IsPastDue">The occurrence is late (the app was down or busy when it was due).</param>
/// <param name="Last">When the previous occurrence ran, if known.</param>
/// <param name="Next">When the next occurrence is due, if known.</param>
public sealed record TimerTriggerInfo(bool IsPastDue, DateTimeOffset? Last, DateTimeOffset? Next);

/// <summary>A timer-triggered function. Throwing logs the failure; the next occurrence runs as scheduled.</summary>
public interface ITimerTriggerHandler
{
    Task HandleAsync(TimerTriggerInfo timer, CancellationToken cancellationToken);
}
