using System.Collections.Concurrent;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// Tells this process's standalone queue listeners that it has just sent a message to their queue, so they poll at once
/// instead of waiting out their back-off — as the WebJobs SDK's shared queue watcher does for messages its own functions
/// write. Messages sent by other processes are found by polling as usual. Under the Functions host nobody listens here.
/// </summary>
public sealed class QueueMessageWatcher
{
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records that a message was sent to <paramref name="queueName"/>.</summary>
    public void Notify(string queueName) => _signals.GetOrAdd(queueName, static _ => new Signal()).Set();

    /// <summary>
    /// Completes as soon as a message is sent to <paramref name="queueName"/> after the last call for that queue (at once if
    /// one has been since), or when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    internal Task WaitAsync(string queueName, CancellationToken cancellationToken) =>
        _signals.GetOrAdd(queueName, static _ => new Signal()).WaitAsync(cancellationToken);

    private sealed class Signal
    {
        private TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Set() => Volatile.Read(ref _sent).TrySetResult();

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            var sent = Volatile.Read(ref _sent);
            await sent.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            // Re-armed before the caller polls: a message sent after this point is either seen by that poll or signals anew.
            Interlocked.CompareExchange(ref _sent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), sent);
        }
    }
}
