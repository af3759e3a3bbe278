using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Benchmarks.Storage;

/// <summary>
/// The baseline side of the storage benchmarks: requests built by hand on a bare <see cref="HttpClient"/>, with the
/// date fixed and every signature that can be worked out in advance worked out in advance (Azurite does not check
/// the date's age). What is left per request is what any client must do: send the bytes and read the answer.
/// </summary>
internal sealed class BareStorageRequests(Azurite azurite)
{
    public const string Date = "Sun, 22 Nov 2026 02:00:00 GMT";

    private readonly byte[] _key = Convert.FromBase64String(Azurite.AccountKey);

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = System.Net.DecompressionMethods.None });

    public Azurite Azurite { get; } = azurite;

    /// <summary>Table Shared Key: <c>VERB\nContent-MD5\nContent-Type\nDate\n/{account}{path}</c>.</summary>
    public string TableAuthorization(string method, string contentType, string path) =>
        Authorization($"{method}\n\n{contentType}\n{Date}\n/{Azurite.AccountName}{path}");

    /// <summary>Blob and Queue Shared Key over the given standard fields, <c>x-ms-</c> headers and resource.</summary>
    public string BlobQueueAuthorization(string method, long contentLength, string contentType, string canonicalHeaders, string canonicalResource) =>
        BlobQueueAuthorization(method, contentLength, "", contentType, canonicalHeaders, canonicalResource);

    /// <summary>The same, with a Content-MD5.</summary>
    public string BlobQueueAuthorization(string method, long contentLength, string contentMd5, string contentType, string canonicalHeaders, string canonicalResource) =>
        Authorization($"{method}\n\n\n{(contentLength > 0 ? contentLength.ToString(CultureInfo.InvariantCulture) : "")}\n{contentMd5}\n{contentType}\n\n\n\n\n\n\n{canonicalHeaders}/{Azurite.AccountName}{canonicalResource}");

    /// <summary>A request with the fixed date, the API version and a precomputed signature.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string url, string apiVersion, string authorization)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("x-ms-date", Date);
        request.Headers.TryAddWithoutValidation("x-ms-version", apiVersion);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    /// <summary>The status, after making sure the baseline's request really succeeded.</summary>
    public static int Check(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? (int)response.StatusCode
        : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Baseline request failed: {(int)response.StatusCode}"));

    private string Authorization(string stringToSign) =>
        $"SharedKey {Azurite.AccountName}:{Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)))}";
}
