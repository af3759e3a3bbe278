using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// One block blob: upload, download, properties, metadata, delete, leases and SAS URIs. Get one from
/// <see cref="BlobContainerClient.GetBlobClient"/>.
/// </summary>
/// <remarks>
/// Failed requests throw <see cref="RequestFailedException"/> with the HTTP <see cref="RequestFailedException.Status"/> and the
/// service's <see cref="RequestFailedException.ErrorCode"/>: 404 <c>BlobNotFound</c> or <c>ContainerNotFound</c>, 409
/// <c>BlobAlreadyExists</c> for a create-only upload, 412 <c>ConditionNotMet</c> for a stale ETag or a missing lease id.
/// Transient failures are retried as configured in <see cref="ClientOptions.Retry"/>, except that a create-only write is
/// not repeated once it may have been applied. Arguments are checked before anything is sent (<see cref="ArgumentException"/>).
/// </remarks>
public sealed class BlobClient
{
    private readonly BlobClientContext _context;

    internal BlobClient(BlobClientContext context, BlobContainerClient container, string name)
    {
        _context = context;
        BlobContainerName = container.Name;
        Name = name;
        Uri = BlobClientContext.Append(container.Uri, string.Join('/', name.Split('/').Select(Uri.EscapeDataString)));
    }

    /// <summary>The blob name.</summary>
    public string Name { get; }

    /// <summary>The name of the blob's container.</summary>
    public string BlobContainerName { get; }

    /// <summary>The blob's URI, with the name percent-encoded segment by segment.</summary>
    public Uri Uri { get; }

    /// <summary>The account name, when known (see <see cref="BlobServiceClient.AccountName"/>).</summary>
    public string? AccountName => _context.AccountName;

    /// <summary>True when this client signs with the account key, so <see cref="GenerateSasUri"/> can sign a service SAS.</summary>
    public bool CanGenerateSasUri => _context.SharedKey is not null;

    /// <summary>
    /// Uploads <paramref name="content"/> from its current position to its end as a block blob, by default only if the blob
    /// does not exist yet.
    /// </summary>
    /// <remarks>
    /// A seekable stream whose remaining length is at most <see cref="StorageTransferOptions.InitialTransferSize"/> goes in
    /// one Put Blob request (the service computes and stores its MD5). Anything longer, and a stream of unknown length that
    /// does not end within its first block, is read one block at a time into pooled buffers, sent as Put Block requests
    /// (a few at once, each with its Content-MD5 and retried on transient failures) and committed by one Put Block List
    /// that stores the content's MD5. Only the
    /// blocks in flight are ever in memory. The stream is not disposed.
    /// </remarks>
    /// <param name="content">The content.</param>
    /// <param name="options">Create-only or overwrite, content type, metadata, conditions and transfer sizes; null for a create-only upload with defaults.</param>
    /// <param name="cancellationToken">Cancels the upload; staged blocks that were never committed are discarded by the service.</param>
    /// <returns>The new ETag, last-modified time and content MD5.</returns>
    /// <exception cref="ArgumentException">Invalid metadata or transfer options, or conditions that contradict a create-only upload.</exception>
    /// <exception cref="RequestFailedException">
    /// The service refused the upload: 409 <c>BlobAlreadyExists</c> when the blob exists and <see cref="BlobUploadOptions.Overwrite"/>
    /// is false, 412 for a stale <see cref="BlobRequestConditions.IfMatch"/> or a leased blob without its lease id.
    /// </exception>
    public async Task<Response<BlobContentInfo>> UploadAsync(Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobUploadOptions();
        BlobLimits.ValidateMetadata(options.Metadata, nameof(options));
        BlobLimits.ResolveTransfer(options.TransferOptions, nameof(options));
        if (!options.Overwrite && (options.Conditions?.IfMatch is not null || options.Conditions?.IfNoneMatch is not null))
        {
            throw new ArgumentException(
                "A create-only upload already sends If-None-Match: *; set Overwrite to use IfMatch or IfNoneMatch.", nameof(options));
        }
        return await new BlockBlobUploader(_context, Uri, options).UploadAsync(content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads content held in memory; <see cref="BinaryData"/> and byte arrays convert implicitly.</summary>
    /// <inheritdoc cref="UploadAsync(Stream, BlobUploadOptions?, CancellationToken)" path="/remarks"/>
    /// <param name="content">The content.</param>
    /// <param name="options">Create-only or overwrite, content type, metadata, conditions and transfer sizes; null for a create-only upload with defaults.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The new ETag, last-modified time and content MD5.</returns>
    /// <exception cref="ArgumentException">Invalid metadata or transfer options, or conditions that contradict a create-only upload.</exception>
    /// <exception cref="RequestFailedException">The service refused the upload, e.g. 409 <c>BlobAlreadyExists</c>.</exception>
    public Task<Response<BlobContentInfo>> UploadAsync(
        ReadOnlyMemory<byte> content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        UploadAsync(new BinaryData(content).ToStream(), options, cancellationToken);

    /// <summary>
    /// Downloads the blob, or a range of it, as a stream read straight from the network: nothing is buffered, so a blob of
    /// any size can be copied onwards. Dispose the result to release the connection.
    /// </summary>
    /// <param name="range">The bytes to read (sent as <c>x-ms-range</c>); null for the whole blob.</param>
    /// <param name="conditions">An ETag the blob must (not) have, and its lease id.</param>
    /// <param name="cancellationToken">Cancels the request; reading the stream takes its own token.</param>
    /// <returns>The content stream and the blob's details.</returns>
    /// <exception cref="ArgumentException">The range ends beyond the largest addressable byte, or <see cref="BlobRequestConditions.IfNoneMatch"/> is <c>*</c>.</exception>
    /// <exception cref="RequestFailedException">
    /// The service refused the request: 404 <c>BlobNotFound</c>, 412 for an <c>If-Match</c> that fails, 304 for an
    /// <c>If-None-Match</c> that matches, 416 for a range beyond the end.
    /// </exception>
    public async Task<Response<BlobDownloadStreamingResult>> DownloadStreamingAsync(
        HttpRange? range = null, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateDownloadMessage(range, conditions);
        message.BufferResponse = false;
        var response = await SendDownloadAsync(message, cancellationToken).ConfigureAwait(false);
        var details = DownloadDetails(response);
        var content = message.ExtractResponseContent() ?? Stream.Null;
        return Response.FromValue(new BlobDownloadStreamingResult(content, details), response);
    }

    /// <summary>Downloads the blob, or a range of it, into memory: for small blobs.</summary>
    /// <param name="range">The bytes to read (sent as <c>x-ms-range</c>); null for the whole blob.</param>
    /// <param name="conditions">An ETag the blob must (not) have, and its lease id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The content and the blob's details.</returns>
    /// <exception cref="ArgumentException">The range ends beyond the largest addressable byte, or <see cref="BlobRequestConditions.IfNoneMatch"/> is <c>*</c>.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>BlobNotFound</c>.</exception>
    public async Task<Response<BlobDownloadResult>> DownloadContentAsync(
        HttpRange? range = null, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateDownloadMessage(range, conditions);
        var response = await SendDownloadAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(new BlobDownloadResult { Content = response.Content, Details = DownloadDetails(response) }, response);
    }

    /// <summary>Reads the blob's properties, metadata and lease state (a HEAD request).</summary>
    /// <param name="conditions">An ETag the blob must (not) have, and its lease id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The properties.</returns>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>BlobNotFound</c> (the code is in the header; a HEAD reply has no body).</exception>
    public async Task<Response<BlobProperties>> GetPropertiesAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Head, conditions);
        var response = BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(Properties(response), response);
    }

    /// <summary>Tells whether the blob exists; a missing container is reported as false too.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when the blob exists.</returns>
    /// <exception cref="RequestFailedException">The service refused the request for another reason, e.g. 403.</exception>
    public async Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Head, conditions: null);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (BlobClientContext.IsNotFound(response))
        {
            return Response.FromValue(false, response);
        }
        BlobClientContext.EnsureSuccess(response);
        return Response.FromValue(true, response);
    }

    /// <summary>Replaces the blob's metadata (all of it: names not given are removed).</summary>
    /// <param name="metadata">Names of lowercase letters and digits starting with a letter, values of printable ASCII.</param>
    /// <param name="conditions">An ETag the blob must still have, and its lease id if it is leased.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The blob's new ETag and last-modified time.</returns>
    /// <exception cref="ArgumentException">A metadata name or value is invalid, or the metadata exceeds 8 KiB.</exception>
    /// <exception cref="RequestFailedException">The service refused the request: 404 <c>BlobNotFound</c>, 412 for a stale ETag or a missing lease id.</exception>
    public async Task<Response<BlobInfo>> SetMetadataAsync(
        IDictionary<string, string> metadata, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        BlobLimits.ValidateMetadata(metadata, nameof(metadata));
        using var message = CreateMessage(RequestMethod.Put, conditions);
        message.Request.Uri.AppendQuery("comp", "metadata");
        BlobHeaders.SetMetadata(message.Request, metadata);
        var response = BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(BlobHeaders.Info(response), response);
    }

    /// <summary>Deletes the blob.</summary>
    /// <param name="conditions">An ETag the blob must still have, and its lease id if it is leased.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response (202).</returns>
    /// <exception cref="RequestFailedException">The service refused the request: 404 <c>BlobNotFound</c>, 412 for a stale ETag or a missing lease id.</exception>
    public async Task<Response> DeleteAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, conditions);
        return BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes the blob if it exists; a missing blob or container is not an error.</summary>
    /// <param name="conditions">An ETag the blob must still have, and its lease id if it is leased.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when this call deleted the blob, false when there was none.</returns>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 412 for a stale ETag or a missing lease id.</exception>
    public async Task<Response<bool>> DeleteIfExistsAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, conditions);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (BlobClientContext.IsNotFound(response))
        {
            return Response.FromValue(false, response);
        }
        BlobClientContext.EnsureSuccess(response);
        return Response.FromValue(true, response);
    }

    /// <summary>A lease client for this blob, e.g. so that only one instance of a job runs at a time. Nothing is sent.</summary>
    /// <param name="leaseId">The lease id to acquire or act on, a GUID; null for a new random one.</param>
    /// <returns>The lease client.</returns>
    /// <exception cref="ArgumentException"><paramref name="leaseId"/> is not a GUID.</exception>
    public BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) => new(_context, Uri, leaseId);

    /// <summary>
    /// A URI for this blob carrying a service SAS (<c>sr=b</c>) signed with the account key: whoever holds it can do what
    /// <paramref name="permissions"/> allow until <paramref name="expiresOn"/>. Nothing is sent.
    /// </summary>
    /// <remarks>
    /// The token starts a few minutes before now (by the options' clock) to allow for clock skew, and is https-only unless
    /// the endpoint is http (the emulator). <c>Create | Write</c> (<c>cw</c>) lets a browser upload with a plain PUT and
    /// <c>x-ms-blob-type: BlockBlob</c>; <c>Create</c> alone cannot overwrite.
    /// </remarks>
    /// <param name="permissions">What the token allows.</param>
    /// <param name="expiresOn">When the token expires.</param>
    /// <returns>The blob URI with the token as its query.</returns>
    /// <exception cref="InvalidOperationException">This client does not sign with the account key (<see cref="CanGenerateSasUri"/> is false).</exception>
    /// <exception cref="ArgumentOutOfRangeException">No permission is given, or <paramref name="expiresOn"/> is not in the future.</exception>
    public Uri GenerateSasUri(BlobSasPermissions permissions, DateTimeOffset expiresOn)
    {
        var key = _context.SharedKey ?? throw new InvalidOperationException(
            "A service SAS is signed with the account key, which this client does not have: create the BlobServiceClient with a " +
            "StorageSharedKeyCredential, or sign with a user delegation key (GenerateUserDelegationSasUri).");
        var fields = SasFields(permissions, expiresOn, key.AccountName);
        var signature = key.ComputeHmacSha256(BlobSas.ServiceStringToSign(fields));
        return new Uri(Uri.AbsoluteUri + "?" + BlobSas.ServiceQuery(fields, signature));
    }

    /// <summary>
    /// A URI for this blob carrying a user delegation SAS (<c>sr=b</c>) signed with <paramref name="key"/> rather than the
    /// account key, so it works where Shared Key is disabled. Nothing is sent.
    /// </summary>
    /// <remarks>The token starts a few minutes before now, as in <see cref="GenerateSasUri"/>, and cannot outlive the key.</remarks>
    /// <param name="key">A key from <see cref="BlobServiceClient.GetUserDelegationKeyAsync"/>.</param>
    /// <param name="permissions">What the token allows.</param>
    /// <param name="expiresOn">When the token expires: in the future, and not after the key expires.</param>
    /// <returns>The blob URI with the token as its query.</returns>
    /// <exception cref="InvalidOperationException">The endpoint does not show the account name, which the token must sign.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No permission is given, or <paramref name="expiresOn"/> is past or after the key's expiry.</exception>
    /// <exception cref="ArgumentException">The key's value is not base64.</exception>
    public Uri GenerateUserDelegationSasUri(UserDelegationKey key, BlobSasPermissions permissions, DateTimeOffset expiresOn)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (expiresOn > key.SignedExpiresOn)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresOn), expiresOn, $"The token cannot outlive its key, which expires at {key.SignedExpiresOn:O}.");
        }
        var account = AccountName ?? throw new InvalidOperationException("The blob endpoint does not show the account name that the token must sign.");
        var fields = SasFields(permissions, expiresOn, account);
        var signature = BlobSas.Sign(key, BlobSas.UserDelegationStringToSign(fields, key), nameof(key));
        return new Uri(Uri.AbsoluteUri + "?" + BlobSas.UserDelegationQuery(fields, key, signature));
    }

    private SasFields SasFields(BlobSasPermissions permissions, DateTimeOffset expiresOn, string accountName)
    {
        var letters = BlobSas.Permissions(permissions, nameof(permissions));
        var now = _context.TimeProvider.GetUtcNow();
        if (expiresOn <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresOn), expiresOn, $"The token would already be expired; it is {now:O} now.");
        }
        return new SasFields(letters, BlobSas.FormatTime(now - BlobSas.ClockSkewAllowance), BlobSas.FormatTime(expiresOn),
            $"/blob/{accountName}/{BlobContainerName}/{Name}", BlobSas.Protocol(Uri), "b");
    }

    private HttpMessage CreateMessage(RequestMethod method, BlobRequestConditions? conditions)
    {
        var message = _context.CreateMessage(method, Uri);
        BlobHeaders.SetConditions(message.Request, conditions);
        return message;
    }

    private HttpMessage CreateDownloadMessage(HttpRange? range, BlobRequestConditions? conditions)
    {
        BlobLimits.ValidateRange(range, nameof(range));
        BlobLimits.ValidateReadConditions(conditions, nameof(conditions));
        var message = CreateMessage(RequestMethod.Get, conditions);
        if (range is { } value && value != default)
        {
            message.Request.Headers.SetValue("x-ms-range", value.ToString());
        }
        return message;
    }

    /// <summary>Sends a download; a failure, or 304 for a matching If-None-Match, is read into memory and thrown.</summary>
    private async Task<Response> SendDownloadAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsError && response.Status != 304)
        {
            return response;
        }
        throw await StorageRequests.FailUnbufferedAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static BlobDownloadDetails DownloadDetails(Response response) => new()
    {
        ContentLength = response.Headers.ContentLengthLong ?? 0,
        ContentRange = BlobHeaders.Value(response, "Content-Range"),
        ContentType = response.Headers.ContentType,
        // A range reply's Content-MD5 would be that of the range; the whole blob's is in x-ms-blob-content-md5.
        ContentHash = BlobHeaders.ParseHash(BlobHeaders.Value(response, "x-ms-blob-content-md5")
            ?? (response.Status == 200 ? BlobHeaders.Value(response, "Content-MD5") : null)),
        ETag = BlobHeaders.ETag(response),
        LastModified = BlobHeaders.LastModified(response),
        Metadata = BlobHeaders.Metadata(response),
    };

    private static BlobProperties Properties(Response response) => new()
    {
        ContentLength = response.Headers.ContentLengthLong ?? 0,
        ContentType = response.Headers.ContentType,
        ContentHash = BlobHeaders.ParseHash(BlobHeaders.Value(response, "Content-MD5")),
        ETag = BlobHeaders.ETag(response),
        LastModified = BlobHeaders.LastModified(response),
        Metadata = BlobHeaders.Metadata(response),
        LeaseState = BlobHeaders.ParseLeaseState(BlobHeaders.Value(response, "x-ms-lease-state")),
        LeaseStatus = BlobHeaders.ParseLeaseStatus(BlobHeaders.Value(response, "x-ms-lease-status")),
        LeaseDuration = BlobHeaders.ParseLeaseDuration(BlobHeaders.Value(response, "x-ms-lease-duration")),
    };
}
