using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// Signs each try of a Table request with Shared Key: a fresh <c>x-ms-date</c>, then
/// <c>Authorization: SharedKey {account}:{signature}</c>. Runs per retry, so a retried request is re-dated and re-signed.
/// </summary>
internal sealed class TableSharedKeyPipelinePolicy(StorageSharedKeyCredential credential, TimeProvider timeProvider)
    : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.TryGetValue(HttpHeader.Names.ContentType, out var contentType);
        request.Headers.TryGetValue("Content-MD5", out var contentMd5);

        var stringToSign = BuildStringToSign(request.Method.Method, contentMd5, contentType, date, credential.AccountName, request.Uri.ToUri());
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKey {credential.AccountName}:{credential.ComputeHmacSha256(stringToSign)}");
    }

    /// <summary>
    /// The Table service's Shared Key string-to-sign: <c>VERB\nContent-MD5\nContent-Type\nDate\nCanonicalizedResource</c>,
    /// where the resource is <c>/{account}{encoded path}</c> plus <c>?comp={value}</c> when there is a <c>comp</c> parameter.
    /// No <c>x-ms-</c> headers and no other query parameters are signed. Against the emulator's path-style URLs the account
    /// name therefore appears twice (<c>/devstoreaccount1/devstoreaccount1/Tables</c>).
    /// </summary>
    internal static string BuildStringToSign(string method, string? contentMd5, string? contentType, string date, string accountName, Uri uri)
    {
        var resource = $"/{accountName}{uri.AbsolutePath}";
        if (QueryValue(uri, "comp") is { } comp)
        {
            resource += "?comp=" + comp;
        }
        return $"{method}\n{contentMd5}\n{contentType}\n{date}\n{resource}";
    }

    private static string? QueryValue(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }
        return null;
    }
}
