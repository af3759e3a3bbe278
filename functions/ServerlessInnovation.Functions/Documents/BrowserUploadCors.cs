using ServerlessInnovation.Storage.Blobs;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>
/// The Blob service's CORS rule that lets the bureau pages upload a file straight to Blob storage with an upload URL
/// (<c>PUT</c> with <c>x-ms-blob-type</c> and <c>Content-Type</c>, after the browser's preflight) and read the report
/// through a download URL (<c>GET</c>). Set by the app only when <see cref="DocumentOptions.BrowserUploadOrigins"/> says so
/// (locally and in tests); in Azure the infrastructure sets it.
/// </summary>
public static class BrowserUploadCors
{
    /// <summary>Most origins in the rule (the service allows 64 per rule).</summary>
    public const int MaxOrigins = 64;

    public static BlobCorsRule Rule(IEnumerable<string> origins) => new()
    {
        AllowedOrigins = [.. origins],
        AllowedMethods = ["PUT", "GET", "HEAD", "OPTIONS"],
        AllowedHeaders = ["x-ms-blob-type", "x-ms-*", "content-type", "content-length", "content-md5", "cache-control"],
        ExposedHeaders = ["x-ms-*", "etag", "content-type", "content-length", "last-modified"],
        MaxAgeInSeconds = 3600,
    };

    /// <summary>
    /// Makes sure the service has <see cref="Rule"/> for <paramref name="origins"/>: nothing is written when it already has
    /// it; otherwise a rule for the same origins is replaced and every other rule is kept (the oldest dropped past the
    /// service's limit of <see cref="BlobServiceClient.MaxCorsRules"/>).
    /// </summary>
    public static async Task EnsureAsync(BlobServiceClient blobs, IReadOnlyList<string> origins, CancellationToken cancellationToken)
    {
        if (origins.Count == 0)
        {
            return;
        }
        var wanted = Rule(origins);
        var rules = (await blobs.GetCorsRulesAsync(cancellationToken)).Value;
        if (rules.Any(wanted.AllowsSameAs))
        {
            return;
        }
        var kept = rules.Where(rule => !BlobCorsRule.SameSet(rule.AllowedOrigins, wanted.AllowedOrigins)).ToList();
        await blobs.SetCorsRulesAsync([.. kept.TakeLast(BlobServiceClient.MaxCorsRules - 1), wanted], cancellationToken);
    }

    /// <summary>Whether <paramref name="text"/> is an http(s) origin: scheme, host and optional port, nothing else.</summary>
    public static bool IsOrigin(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) &&
        uri.Scheme is "http" or "https" &&
        uri.UserInfo.Length == 0 &&
        string.Equals(uri.GetLeftPart(UriPartial.Authority), text, StringComparison.OrdinalIgnoreCase);
}
