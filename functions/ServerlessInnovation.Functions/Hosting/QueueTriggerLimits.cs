namespace ServerlessInnovation.Functions.Hosting;

/// <summary>The queue-trigger limit a handler needs to know: after how many failed deliveries a message goes to poison.</summary>
/// <param name="MaxDequeueCount">host.json <c>extensions.queues.maxDequeueCount</c> (the Functions default is 5).</param>
public sealed record QueueTriggerLimits(int MaxDequeueCount);
