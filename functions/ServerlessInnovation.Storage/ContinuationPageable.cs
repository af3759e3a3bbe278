using Azure;

namespace ServerlessInnovation.Storage;

/// <summary>
/// Pages fetched one request at a time, each carrying the continuation token of the next, until a page carries none.
/// An empty page with a token is not the end: the service may stop a page early (time limit, partition boundary).
/// </summary>
internal sealed class ContinuationPageable<T>(
    Func<string?, int?, CancellationToken, Task<Page<T>>> fetchPage,
    int? defaultPageSize,
    CancellationToken cancellationToken) : AsyncPageable<T>(cancellationToken)
    where T : notnull
{
    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        do
        {
            var page = await fetchPage(continuationToken, pageSizeHint ?? defaultPageSize, CancellationToken).ConfigureAwait(false);
            yield return page;
            continuationToken = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuationToken));
    }
}
