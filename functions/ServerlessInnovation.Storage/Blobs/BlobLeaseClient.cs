using System.Globalization;
using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// A lease on one blob: while it is held, only requests with <see cref="LeaseId"/> may write or delete the blob, and no one
/// else can acquire it — so a job that must run on one instance at a time can take the lease first and keep renewing it.
/// Get one from <see cref="BlobClient.GetBlobLeaseClient"/>.
/// </summary>
/// <remarks>
/// The lease id is chosen by this client and sent as the proposed id, so an acquire repeated after a lost response
/// finds the lease already held with the same id and succeeds again rather than failing.
/// </remarks>
public sealed class BlobLeaseClient
{
    /// <summary>A lease that lasts until it is released or broken.</summary>
    public static readonly TimeSpan InfiniteLeaseDuration = Timeout.InfiniteTimeSpan;

    private readonly BlobClientContext _context;

    internal BlobLeaseClient(BlobClientContext context, Uri blobUri, string? leaseId)
    {
        if (leaseId is not null && !Guid.TryParse(leaseId, out _))
        {
            throw new ArgumentException("A lease id is a GUID, e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301.", nameof(leaseId));
        }
        _context = context;
        Uri = blobUri;
        LeaseId = leaseId ?? Guid.NewGuid().ToString();
    }

    /// <summary>The lease id this client acquires, renews and releases; pass it in <see cref="BlobRequestConditions.LeaseId"/> to write.</summary>
    public string LeaseId { get; }

    /// <summary>The leased blob's URI.</summary>
    public Uri Uri { get; }

    /// <summary>Acquires the lease with <see cref="LeaseId"/>, or renews it if this id already holds it.</summary>
    /// <param name="duration">15 to 60 whole seconds, or <see cref="InfiniteLeaseDuration"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The lease.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not 15 to 60 whole seconds or infinite.</exception>
    /// <exception cref="RequestFailedException">The service refused: 409 <c>LeaseAlreadyPresent</c> when another id holds the lease, 404 <c>BlobNotFound</c>.</exception>
    public async Task<Response<BlobLease>> AcquireAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        BlobLimits.ValidateLeaseDuration(duration, nameof(duration));
        using var message = CreateLeaseMessage("acquire");
        message.Request.Headers.SetValue("x-ms-lease-duration",
            duration == InfiniteLeaseDuration ? "-1" : ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("x-ms-proposed-lease-id", LeaseId);
        return await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renews the lease for its original duration; an expired lease can be renewed while no one else has taken it.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The lease.</returns>
    /// <exception cref="RequestFailedException">The service refused: 409 when the lease is held with another id or was broken.</exception>
    public async Task<Response<BlobLease>> RenewAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateLeaseMessage("renew");
        BlobHeaders.SetLeaseId(message.Request, LeaseId);
        return await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the lease, so anyone may acquire it at once.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The blob's ETag and last-modified time.</returns>
    /// <exception cref="RequestFailedException">The service refused: 409 when the lease is held with another id.</exception>
    public async Task<Response<BlobInfo>> ReleaseAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateLeaseMessage("release");
        BlobHeaders.SetLeaseId(message.Request, LeaseId);
        var response = BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(BlobHeaders.Info(response), response);
    }

    /// <summary>Breaks the active lease, whatever its id: for taking over from a holder that is gone.</summary>
    /// <param name="breakPeriod">
    /// 0 to 60 whole seconds to wait before the lease is broken, during which it can be neither renewed nor re-acquired;
    /// null for the rest of a fixed lease (or at once for an infinite one).
    /// </param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The lease, with <see cref="BlobLease.LeaseTime"/> the seconds until it is broken.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="breakPeriod"/> is not 0 to 60 whole seconds.</exception>
    /// <exception cref="RequestFailedException">The service refused: 409 <c>LeaseNotPresentWithLeaseOperation</c> when there is no lease.</exception>
    public async Task<Response<BlobLease>> BreakAsync(TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default)
    {
        BlobLimits.ValidateBreakPeriod(breakPeriod, nameof(breakPeriod));
        using var message = CreateLeaseMessage("break");
        if (breakPeriod is { } period)
        {
            message.Request.Headers.SetValue("x-ms-lease-break-period", ((int)period.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }
        return await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessage CreateLeaseMessage(string action)
    {
        var message = _context.CreateMessage(RequestMethod.Put, Uri);
        message.Request.Uri.AppendQuery("comp", "lease");
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        return message;
    }

    private async Task<Response<BlobLease>> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        var response = BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(new BlobLease
        {
            ETag = BlobHeaders.ETag(response),
            LastModified = BlobHeaders.LastModified(response),
            LeaseId = BlobHeaders.Value(response, BlobHeaders.LeaseId),
            LeaseTime = int.TryParse(BlobHeaders.Value(response, "x-ms-lease-time"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null,
        }, response);
    }
}
