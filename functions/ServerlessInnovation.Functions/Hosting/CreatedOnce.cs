namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// Storage that a part of the app creates on first use (its tables, containers, queues): created once, by whichever call
/// comes first; a failed or cancelled attempt is made again by the next call.
/// </summary>
public sealed class CreatedOnce(Func<CancellationToken, Task> create)
{
    private Task? _ready;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var ready = _ready;
        if (ready is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }
        if (ready is null or { IsFaulted: true } or { IsCanceled: true })
        {
            ready = _ready = create(cancellationToken);
        }
        return ready;
    }
}
