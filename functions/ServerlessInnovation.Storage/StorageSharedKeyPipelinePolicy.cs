using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage;

/// <summary>
/// Signs each try of a Blob or Queue request with Shared Key (versions 2015-02-21 and later): a fresh <c>x-ms-date</c>,
/// then <c>Authorization: SharedKey {account}:{signature}</c>. Runs per retry, after Azure.Core has added
/// <c>x-ms-client-request-id</c>, so every <c>x-ms-</c> header that goes out is signed. (Table uses its own, shorter format.)
/// </summary>
internal sealed class StorageSharedKeyPipelinePolicy(StorageSharedKeyCredential credential, TimeProvider timeProvider)
    : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        var contentLength = request.Content is { } content && content.TryComputeLength(out var length) ? length : 0;
        var stringToSign = BuildStringToSign(request.Method.Method, request.Headers, contentLength, credential.AccountName, request.Uri.ToUri());
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKey {credential.AccountName}:{credential.ComputeHmacSha256(stringToSign)}");
    }

    /// <summary>
    /// <c>VERB\n Content-Encoding\n Content-Language\n Content-Length\n Content-MD5\n Content-Type\n Date\n
    /// If-Modified-Since\n If-Match\n If-None-Match\n If-Unmodified-Since\n Range\n</c>, then the <c>x-ms-</c> headers
    /// (lower-case names in order, <c>name:value\n</c>), then <c>/{account}{encoded path}</c> and each query parameter as
    /// <c>\nname:decoded value</c> in order of name. Content-Length is empty when zero; Date is empty because
    /// <c>x-ms-date</c> is sent. Against the emulator's path-style URLs the account name appears twice.
    /// </summary>
    internal static string BuildStringToSign(string method, IEnumerable<HttpHeader> headers, long contentLength, string accountName, Uri uri)
    {
        var standard = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var storage = new List<(string Name, string Value)>();
        foreach (var header in headers)
        {
            if (header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                storage.Add((header.Name.ToLowerInvariant(), FoldWhitespace(header.Value)));
            }
            else
            {
                standard[header.Name] = header.Value;
            }
        }

        var text = new StringBuilder(256).Append(method).Append('\n');
        foreach (var name in (ReadOnlySpan<string>)["Content-Encoding", "Content-Language"])
        {
            text.Append(standard.GetValueOrDefault(name)).Append('\n');
        }
        text.Append(contentLength > 0 ? contentLength.ToString(CultureInfo.InvariantCulture) : "").Append('\n');
        foreach (var name in (ReadOnlySpan<string>)["Content-MD5", "Content-Type", "Date", "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"])
        {
            text.Append(name == "Date" ? "" : standard.GetValueOrDefault(name)).Append('\n');
        }
        foreach (var (name, value) in storage.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        text.Append('/').Append(accountName).Append(uri.AbsolutePath);
        var parameters = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .GroupBy(pair => Uri.UnescapeDataString(pair[0]).ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var values = parameter.Select(pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : "").Order(StringComparer.Ordinal);
            text.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(',', values));
        }
        return text.ToString();
    }

    /// <summary>Trims the value and folds runs of whitespace to one space (outside quotes, which storage values do not use).</summary>
    private static string FoldWhitespace(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.AsSpan().ContainsAny(" \t\r\n"))
        {
            return trimmed;
        }
        var folded = new StringBuilder(trimmed.Length);
        var previousWasSpace = false;
        foreach (var c in trimmed)
        {
            var isSpace = c is ' ' or '\t' or '\r' or '\n';
            if (!isSpace || !previousWasSpace)
            {
                folded.Append(isSpace ? ' ' : c);
            }
            previousWasSpace = isSpace;
        }
        return folded.ToString();
    }
}
