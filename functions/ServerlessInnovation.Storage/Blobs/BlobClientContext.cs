using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// What a <see cref="BlobServiceClient"/> shares with the container, blob and lease clients it creates: the pipeline, the
/// endpoint, the clock, and how requests are authorized (which decides what SAS tokens can be made).
/// </summary>
internal sealed class BlobClientContext
{
    public BlobClientContext(HttpPipeline pipeline, Uri serviceUri, TimeProvider timeProvider, StorageSharedKeyCredential? sharedKey, bool usesTokenCredential)
    {
        Pipeline = pipeline;
        ServiceUri = serviceUri;
        TimeProvider = timeProvider;
        SharedKey = sharedKey;
        UsesTokenCredential = usesTokenCredential;
        AccountName = sharedKey?.AccountName ?? AccountNameFromUri(serviceUri);
    }

    public HttpPipeline Pipeline { get; }

    public Uri ServiceUri { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The account key, when requests are signed with Shared Key; it also signs service SAS tokens.</summary>
    public StorageSharedKeyCredential? SharedKey { get; }

    /// <summary>True when requests carry Microsoft Entra tokens, which alone may ask for a user delegation key.</summary>
    public bool UsesTokenCredential { get; }

    /// <summary>The credential's account name, else the one the endpoint shows; null when neither names one.</summary>
    public string? AccountName { get; }

    /// <summary><paramref name="baseUri"/> followed by <c>/</c> and the already escaped <paramref name="escapedPath"/>.</summary>
    public static Uri Append(Uri baseUri, string escapedPath) => new(baseUri.AbsoluteUri.TrimEnd('/') + "/" + escapedPath);

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = Pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue("x-ms-version", StorageApiVersions.Blob);
        return message;
    }

    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    public static Response EnsureSuccess(Response response) =>
        response.IsError ? throw new RequestFailedException(response) : response;

    /// <summary>A 404 for the blob or its container (a HEAD reply carries the code in a header only, if at all).</summary>
    public static bool IsNotFound(Response response) =>
        response.Status == (int)HttpStatusCode.NotFound && ErrorCode(response) is null or "BlobNotFound" or "ContainerNotFound";

    public static string? ErrorCode(Response response) =>
        StorageRequestFailedDetailsParser.Instance.TryParse(response, out var error, out _) ? error?.Code : null;

    /// <summary>
    /// The account in an endpoint: the first path segment of an IP-style URL (the emulator's
    /// <c>http://127.0.0.1:10000/devstoreaccount1</c>), else the first label of the host (<c>acct.blob.core.windows.net</c>).
    /// </summary>
    internal static string? AccountNameFromUri(Uri uri)
    {
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback && !uri.Host.Contains('.', StringComparison.Ordinal))
        {
            var segment = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return segment is null ? null : Uri.UnescapeDataString(segment);
        }
        var label = uri.Host.Split('.')[0];
        return label.Length > 0 ? label : null;
    }
}
