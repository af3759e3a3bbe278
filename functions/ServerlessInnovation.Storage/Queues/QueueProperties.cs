namespace ServerlessInnovation.Storage.Queues;

/// <summary>A queue's message count and metadata (<see cref="QueueClient.GetPropertiesAsync"/>).</summary>
public sealed class QueueProperties
{
    internal QueueProperties(long approximateMessagesCount, IReadOnlyDictionary<string, string> metadata)
    {
        ApproximateMessagesCount = approximateMessagesCount;
        Metadata = metadata;
    }

    /// <summary>
    /// About how many messages the queue holds, visible or not: the service may not yet count the latest sends and
    /// deletes, and it counts expired messages until they are removed.
    /// </summary>
    public long ApproximateMessagesCount { get; }

    /// <summary>The queue's metadata (<c>x-ms-meta-*</c>), by case-insensitive name.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
