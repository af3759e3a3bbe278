using System.Diagnostics.CodeAnalysis;
using System.Text;
using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage;

/// <summary>
/// A response embedded in a multipart batch reply (an <c>application/http</c> part): status line, headers and body,
/// already in memory.
/// </summary>
internal sealed class HttpPartResponse(int status, string reasonPhrase, IReadOnlyList<HttpHeader> headers, string body) : Response
{
    public override int Status => status;

    public override string ReasonPhrase => reasonPhrase;

    // The pipeline's classifier never sees a part, so the error status is decided here.
    public override bool IsError => status >= 400;

    public override Stream? ContentStream { get; set; } = new MemoryStream(Encoding.UTF8.GetBytes(body));

    public override string ClientRequestId { get; set; } = "";

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        values = found.Count > 0 ? found : null;
        return values is not null;
    }

    protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers;
}
