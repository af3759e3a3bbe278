namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// One CORS rule of the Blob service (Set Blob Service Properties, <c>&lt;Cors&gt;&lt;CorsRule&gt;</c>): which browser origins
/// may call the service with which methods and request headers, which response headers their scripts may read, and how
/// long a browser may cache the answer to its preflight. Lists are comma-separated on the wire; a header name may end
/// in <c>*</c> to stand for every header with that prefix (<c>x-ms-meta*</c>).
/// </summary>
public sealed record BlobCorsRule
{
    /// <summary>Origins (<c>https://app.example</c>) or <c>*</c> for any.</summary>
    public required IReadOnlyList<string> AllowedOrigins { get; init; }

    /// <summary>HTTP methods: <c>DELETE, GET, HEAD, MERGE, POST, OPTIONS, PUT, PATCH</c>.</summary>
    public required IReadOnlyList<string> AllowedMethods { get; init; }

    /// <summary>Request headers the origins may send (prefixes with <c>*</c>).</summary>
    public IReadOnlyList<string> AllowedHeaders { get; init; } = [];

    /// <summary>Response headers the origins' scripts may read (prefixes with <c>*</c>).</summary>
    public IReadOnlyList<string> ExposedHeaders { get; init; } = [];

    /// <summary>How long a browser may cache the preflight answer, in seconds.</summary>
    public int MaxAgeInSeconds { get; init; }

    /// <summary>Whether the two rules allow the same (lists compared as sets, case-insensitively).</summary>
    public bool AllowsSameAs(BlobCorsRule other) =>
        SameSet(AllowedOrigins, other.AllowedOrigins) && SameSet(AllowedMethods, other.AllowedMethods) &&
        SameSet(AllowedHeaders, other.AllowedHeaders) && SameSet(ExposedHeaders, other.ExposedHeaders) &&
        MaxAgeInSeconds == other.MaxAgeInSeconds;

    /// <summary>Whether two lists hold the same items, in any order, case-insensitively.</summary>
    public static bool SameSet(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        new HashSet<string>(a, StringComparer.OrdinalIgnoreCase).SetEquals(b);
}
