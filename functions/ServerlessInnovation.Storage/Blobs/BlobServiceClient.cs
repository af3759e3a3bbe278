using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// The Blob service of one storage account: hands out <see cref="BlobContainerClient"/> instances, which share this client's
/// HTTP pipeline (retries, logging, authorization), and issues user delegation keys.
/// </summary>
public sealed class BlobServiceClient
{
    private static readonly TimeSpan MaxUserDelegationKeyLifetime = TimeSpan.FromDays(7);

    private readonly BlobClientContext _context;

    /// <summary>A client that signs requests with the account key (Shared Key); its blob clients can make service SAS URIs.</summary>
    /// <param name="endpoint">The Blob endpoint, e.g. <c>https://acct.blob.core.windows.net</c> or <c>http://127.0.0.1:10000/devstoreaccount1</c>.</param>
    /// <param name="credential">The account name and key.</param>
    /// <param name="options">Retry, diagnostics, transport and clock options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public BlobServiceClient(Uri endpoint, StorageSharedKeyCredential credential, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new BlobClientOptions();
        var pipeline = StoragePipeline.Build(options, credential, (key, time) => new StorageSharedKeyPipelinePolicy(key, time));
        _context = new BlobClientContext(pipeline, StoragePipeline.ValidateEndpoint(endpoint, "Blob"), options.TimeProvider, credential, usesTokenCredential: false);
    }

    /// <summary>
    /// A client that authorizes requests with Microsoft Entra ID tokens (scope <c>https://storage.azure.com/.default</c>);
    /// it can get user delegation keys, and its blob clients can make user delegation SAS URIs.
    /// </summary>
    /// <remarks>Azure.Core sends bearer tokens over https only; requests to an http endpoint fail with <see cref="InvalidOperationException"/>.</remarks>
    /// <param name="endpoint">The Blob endpoint, e.g. <c>https://acct.blob.core.windows.net</c>.</param>
    /// <param name="credential">The identity, e.g. a managed identity.</param>
    /// <param name="options">Retry, diagnostics, transport and clock options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public BlobServiceClient(Uri endpoint, TokenCredential credential, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new BlobClientOptions();
        _context = new BlobClientContext(StoragePipeline.Build(options, credential), StoragePipeline.ValidateEndpoint(endpoint, "Blob"),
            options.TimeProvider, sharedKey: null, usesTokenCredential: true);
    }

    /// <summary>A client that authorizes requests with a shared access signature appended to every request.</summary>
    /// <param name="endpoint">The Blob endpoint, without the signature.</param>
    /// <param name="credential">The signature, with or without a leading <c>?</c>.</param>
    /// <param name="options">Retry, diagnostics, transport and clock options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public BlobServiceClient(Uri endpoint, AzureSasCredential credential, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new BlobClientOptions();
        _context = new BlobClientContext(StoragePipeline.Build(options, credential), StoragePipeline.ValidateEndpoint(endpoint, "Blob"),
            options.TimeProvider, sharedKey: null, usesTokenCredential: false);
    }

    /// <summary>The Blob endpoint.</summary>
    public Uri Uri => _context.ServiceUri;

    /// <summary>The account name: the credential's, else the one in the endpoint; null when neither names one.</summary>
    public string? AccountName => _context.AccountName;

    /// <summary>A client for one container, sharing this client's pipeline. Nothing is sent.</summary>
    /// <param name="blobContainerName">3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.</param>
    /// <returns>The container client.</returns>
    /// <exception cref="ArgumentException">The container name is invalid.</exception>
    public BlobContainerClient GetBlobContainerClient(string blobContainerName)
    {
        BlobLimits.ValidateContainerName(blobContainerName, nameof(blobContainerName));
        return new BlobContainerClient(_context, blobContainerName);
    }

    /// <summary>
    /// Gets a key that signs user delegation SAS tokens for up to 7 days, on behalf of this client's Microsoft Entra identity
    /// (which needs a role with <c>generateUserDelegationKey</c>, e.g. Storage Blob Delegator).
    /// </summary>
    /// <param name="startsOn">When the key becomes valid; null for now, less the same few minutes SAS tokens allow for clock skew.</param>
    /// <param name="expiresOn">When the key expires: after the start and within 7 days of now.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidOperationException">This client does not use a <see cref="TokenCredential"/>: only Microsoft Entra identities get keys.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The expiry is not after the start, or more than 7 days away.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 403 when the identity lacks the role.</exception>
    public async Task<Response<UserDelegationKey>> GetUserDelegationKeyAsync(
        DateTimeOffset? startsOn, DateTimeOffset expiresOn, CancellationToken cancellationToken = default)
    {
        if (!_context.UsesTokenCredential)
        {
            throw new InvalidOperationException(
                "A user delegation key is issued only to a Microsoft Entra identity: create the BlobServiceClient with a TokenCredential.");
        }
        var now = _context.TimeProvider.GetUtcNow();
        var start = startsOn ?? now - BlobSas.ClockSkewAllowance;
        if (expiresOn <= start || expiresOn > now + MaxUserDelegationKeyLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresOn), expiresOn, "The key must expire after it starts and within 7 days of now.");
        }

        using var message = _context.CreateMessage(RequestMethod.Post, BlobClientContext.Append(Uri, ""));
        message.Request.Uri.AppendQuery("restype", "service");
        message.Request.Uri.AppendQuery("comp", "userdelegationkey");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/xml");
        message.Request.Content = RequestContent.Create(BlobXml.KeyInfo(BlobSas.FormatTime(start), BlobSas.FormatTime(expiresOn)));
        var response = BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(BlobXml.ReadUserDelegationKey(response), response);
    }

    /// <summary>The Blob service's CORS rules (Get Blob Service Properties, <c>GET ?restype=service&amp;comp=properties</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The rules, in the service's order; empty when there are none.</returns>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 403 for a SAS or an identity without account rights.</exception>
    public async Task<Response<IReadOnlyList<BlobCorsRule>>> GetCorsRulesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _context.CreateMessage(RequestMethod.Get, BlobClientContext.Append(Uri, ""));
        message.Request.Uri.AppendQuery("restype", "service");
        message.Request.Uri.AppendQuery("comp", "properties");
        var response = BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue<IReadOnlyList<BlobCorsRule>>(BlobXml.ReadCorsRules(response), response);
    }

    /// <summary>
    /// Replaces the Blob service's CORS rules with <paramref name="rules"/> (Set Blob Service Properties,
    /// <c>PUT ?restype=service&amp;comp=properties</c>). Only the <c>Cors</c> element is sent, so every other service
    /// property (logging, metrics, delete retention, static website, default version) stays as it is.
    /// </summary>
    /// <param name="rules">At most 5 rules (the service's limit); none removes every rule.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's answer (202).</returns>
    /// <exception cref="ArgumentException">More than 5 rules, or a rule without origins or methods.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 403 for an identity without account rights.</exception>
    public async Task<Response> SetCorsRulesAsync(IReadOnlyList<BlobCorsRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count > MaxCorsRules)
        {
            throw new ArgumentException($"The Blob service takes at most {MaxCorsRules} CORS rules.", nameof(rules));
        }
        if (rules.Any(rule => rule.AllowedOrigins.Count == 0 || rule.AllowedMethods.Count == 0))
        {
            throw new ArgumentException("Every CORS rule needs at least one origin and one method.", nameof(rules));
        }
        using var message = _context.CreateMessage(RequestMethod.Put, BlobClientContext.Append(Uri, ""));
        message.Request.Uri.AppendQuery("restype", "service");
        message.Request.Uri.AppendQuery("comp", "properties");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/xml");
        message.Request.Content = RequestContent.Create(BlobXml.CorsProperties(rules));
        return BlobClientContext.EnsureSuccess(await _context.SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Most CORS rules a storage service keeps.</summary>
    public const int MaxCorsRules = 5;
}
