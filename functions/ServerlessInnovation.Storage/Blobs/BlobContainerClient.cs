using System.Globalization;
using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// One container: creates and deletes it, lists its blobs and hands out <see cref="BlobClient"/> instances. Get one from
/// <see cref="BlobServiceClient.GetBlobContainerClient"/>.
/// </summary>
/// <remarks>
/// Failed requests throw <see cref="RequestFailedException"/> with the HTTP <see cref="RequestFailedException.Status"/> and the
/// service's <see cref="RequestFailedException.ErrorCode"/> (e.g. 404 <c>ContainerNotFound</c>). Transient failures are
/// retried as configured in <see cref="ClientOptions.Retry"/>.
/// </remarks>
public sealed class BlobContainerClient
{
    private readonly BlobClientContext _context;

    internal BlobContainerClient(BlobClientContext context, string name)
    {
        _context = context;
        Name = name;
        Uri = BlobClientContext.Append(context.ServiceUri, name);
    }

    /// <summary>The container name.</summary>
    public string Name { get; }

    /// <summary>The container's URI.</summary>
    public Uri Uri { get; }

    /// <summary>The account name, when known (see <see cref="BlobServiceClient.AccountName"/>).</summary>
    public string? AccountName => _context.AccountName;

    /// <summary>A client for one blob in this container, sharing the pipeline. Nothing is sent.</summary>
    /// <param name="blobName">
    /// The blob name, <c>/</c> separating virtual directories: 1 to 1024 characters, no control characters, no segment ending
    /// in <c>.</c>, not ending in <c>/</c> or <c>\</c>.
    /// </param>
    /// <returns>The blob client.</returns>
    /// <exception cref="ArgumentException">The blob name is invalid.</exception>
    public BlobClient GetBlobClient(string blobName)
    {
        BlobLimits.ValidateBlobName(blobName, nameof(blobName));
        return new BlobClient(_context, this, blobName);
    }

    /// <summary>Creates the container unless it exists; it is private (no anonymous access).</summary>
    /// <remarks>If a first try created the container but its response was lost, the retry finds it and this returns false.</remarks>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when this call created the container, false when it existed.</returns>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 409 <c>ContainerBeingDeleted</c>.</exception>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateContainerMessage(RequestMethod.Put);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && BlobClientContext.ErrorCode(response) == "ContainerAlreadyExists")
        {
            return false;
        }
        BlobClientContext.EnsureSuccess(response);
        return true;
    }

    /// <summary>Deletes the container and its blobs; a container that does not exist is not an error.</summary>
    /// <remarks>The service removes the blobs in the background; until it is done, creating the same name fails with 409 <c>ContainerBeingDeleted</c>.</remarks>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when this call deleted the container, false when it did not exist.</returns>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    public async Task<Response<bool>> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateContainerMessage(RequestMethod.Delete);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (BlobClientContext.IsNotFound(response))
        {
            return Response.FromValue(false, response);
        }
        BlobClientContext.EnsureSuccess(response);
        return Response.FromValue(true, response);
    }

    /// <summary>
    /// Lists the blobs in name order, following the service's <c>marker</c> across pages. Enumerate the blobs directly, or
    /// use <see cref="AsyncPageable{T}.AsPages"/> to see each page and its continuation token and resume later with
    /// <c>AsPages(continuationToken)</c>.
    /// </summary>
    /// <remarks>Requests are sent as the enumeration proceeds.</remarks>
    /// <param name="prefix">Only blobs whose names start with this; null for all.</param>
    /// <param name="pageSize">At most this many blobs per page (1 to 5000, <c>maxresults</c>); null for the service's 5000.</param>
    /// <param name="traits">What to include besides names and system properties, e.g. <see cref="BlobTraits.Metadata"/>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The blobs, fetched page by page.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is outside 1 to 5000.</exception>
    public AsyncPageable<BlobItem> GetBlobsAsync(
        string? prefix = null, int? pageSize = null, BlobTraits traits = BlobTraits.None, CancellationToken cancellationToken = default)
    {
        BlobLimits.ValidatePageSize(pageSize, nameof(pageSize));
        return new ContinuationPageable<BlobItem>(
            (marker, size, ct) => GetBlobsPageAsync(prefix, size, traits, marker, ct),
            pageSize,
            cancellationToken);
    }

    private async Task<Page<BlobItem>> GetBlobsPageAsync(string? prefix, int? pageSize, BlobTraits traits, string? marker, CancellationToken cancellationToken)
    {
        BlobLimits.ValidatePageSize(pageSize, "pageSizeHint");
        using var message = CreateContainerMessage(RequestMethod.Get);
        var uri = message.Request.Uri;
        uri.AppendQuery("comp", "list");
        if (!string.IsNullOrEmpty(prefix))
        {
            uri.AppendQuery("prefix", prefix);
        }
        if (pageSize is { } size)
        {
            uri.AppendQuery("maxresults", size.ToString(CultureInfo.InvariantCulture));
        }
        if (!string.IsNullOrEmpty(marker))
        {
            uri.AppendQuery("marker", marker);
        }
        if (traits.HasFlag(BlobTraits.Metadata))
        {
            uri.AppendQuery("include", "metadata");
        }
        var response = BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        var (blobs, nextMarker) = BlobXml.ReadBlobList(response);
        return Page<BlobItem>.FromValues(blobs, nextMarker, response);
    }

    private HttpMessage CreateContainerMessage(RequestMethod method)
    {
        var message = _context.CreateMessage(method, Uri);
        message.Request.Uri.AppendQuery("restype", "container");
        return message;
    }
}
