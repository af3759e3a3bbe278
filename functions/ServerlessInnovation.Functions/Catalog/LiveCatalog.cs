using ServerlessInnovation.Domain.Matching;

namespace ServerlessInnovation.Functions.Catalog;

/// <summary>The catalog as served: the match index and the change it was built from.</summary>
/// <param name="Version">The change's number (0 before any change); <see cref="VersionToken"/> identifies it exactly.</param>
public sealed record CatalogSnapshot(MatchIndex Index, long Version, string VersionToken, DateTimeOffset LoadedAt);

/// <summary>
/// The in-memory catalog every request reads. The <see cref="CatalogRefresher"/> publishes a new immutable snapshot
/// when the stored catalog changes; requests never read storage.
/// </summary>
public sealed class LiveCatalog(TimeProvider time)
{
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CatalogSnapshot? _current;

    public CatalogSnapshot? Current => _current;

    public void Publish(CatalogSnapshot snapshot)
    {
        _current = snapshot;
        _firstLoad.TrySetResult();
    }

    /// <summary>The current snapshot, waiting up to <paramref name="wait"/> for the first load; null if there is none by then.</summary>
    public async Task<CatalogSnapshot?> GetAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_current is { } current)
        {
            return current;
        }
        try
        {
            await _firstLoad.Task.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        return _current;
    }
}
