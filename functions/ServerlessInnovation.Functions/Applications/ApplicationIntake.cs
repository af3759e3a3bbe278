namespace ServerlessInnovation.Functions.Applications;

/// <summary>
/// Stores new applications and queues them for a decision, combining the submissions that arrive together (group
/// commit): while one group is being written, the next ones wait and go in one table transaction and one queue message.
/// A lone submission is written at once, so it waits for nothing; a burst costs storage a few requests per group instead
/// of two per application. Each group is stored before it is queued, as for a single application, so a crash between the
/// two leaves submitted applications that a retry or the sweep queues.
/// </summary>
public sealed partial class ApplicationIntake(ApplicationStore store, ILogger<ApplicationIntake> logger)
{
    private readonly Lock _gate = new();
    private readonly List<Waiting> _waiting = [];
    private bool _writing;

    private sealed record Waiting(ApplicationRecord Application, TaskCompletionSource<ApplicationRecord?> Stored);

    /// <summary>
    /// Stores the application and queues it; returns it with its ETag once both are done, or null when an application
    /// with this id exists already (a concurrent request with the same <c>Idempotency-Key</c> stored it, and queues it).
    /// Throws what the storage threw when the group could not be stored or queued.
    /// </summary>
    public Task<ApplicationRecord?> SubmitAsync(ApplicationRecord application)
    {
        var waiting = new Waiting(application, new TaskCompletionSource<ApplicationRecord?>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            _waiting.Add(waiting);
            start = !_writing;
            _writing = true;
        }
        if (start)
        {
            _ = Task.Run(WriteAllAsync);
        }
        return waiting.Stored.Task;
    }

    /// <summary>Writes groups until no submission waits. Not cancellable: a request that gives up still gets its application stored.</summary>
    private async Task WriteAllAsync()
    {
        while (true)
        {
            Waiting[] group;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }
                group = [.. _waiting.Take(ApplicationMessage.MaxApplications)];
                _waiting.RemoveRange(0, group.Length);
            }
            try
            {
                // Requests with the same Idempotency-Key can bring one id twice: the first is stored, the others get null.
                var firsts = group.DistinctBy(w => w.Application.Id).ToArray();
                var stored = (await store.AddManyAsync([.. firsts.Select(w => w.Application)], CancellationToken.None)).ToDictionary(a => a.Id);
                if (stored.Count > 0)
                {
                    await store.EnqueueAsync([.. stored.Keys], CancellationToken.None);
                }
                foreach (var waiting in group)
                {
                    waiting.Stored.TrySetResult(firsts.Contains(waiting) ? stored.GetValueOrDefault(waiting.Application.Id) : null);
                }
                if (group.Length > 1)
                {
                    LogGroupWritten(logger, group.Length, stored.Count);
                }
            }
            catch (Exception exception)
            {
                foreach (var waiting in group)
                {
                    waiting.Stored.TrySetException(exception);
                }
            }
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Submitted together: {Count} applications, {Stored} stored and queued in one message")]
    private static partial void LogGroupWritten(ILogger logger, int count, int stored);
}
