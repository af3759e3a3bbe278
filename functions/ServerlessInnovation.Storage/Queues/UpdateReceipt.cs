namespace ServerlessInnovation.Storage.Queues;

/// <summary>What the service reports for an updated message (<see cref="QueueClient.UpdateMessageAsync"/>).</summary>
public sealed class UpdateReceipt
{
    internal UpdateReceipt(string popReceipt, DateTimeOffset nextVisibleOn)
    {
        PopReceipt = popReceipt;
        NextVisibleOn = nextVisibleOn;
    }

    /// <summary>The message's new pop receipt; the one the update was made with no longer works.</summary>
    public string PopReceipt { get; }

    /// <summary>When the message becomes visible to receivers again.</summary>
    public DateTimeOffset NextVisibleOn { get; }
}
