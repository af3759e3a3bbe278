using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.GetDocument;

/// <summary>
/// <c>GET /api/bureau/documents/{id}</c>: one of the bureau's documents with its status and counts, and short-lived read
/// URLs for the file, the ingestion report (JSON) and the refused rows (CSV). A duplicate links the earlier document's report.
/// </summary>
public static class GetDocumentFunction
{
    public const string Name = "GetDocument";

    public static IEndpointRouteBuilder MapGetDocument(this IEndpointRouteBuilder bureau)
    {
        bureau.MapGet("/documents/{id}", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<IResult> HandleAsync(
        string id, Bureau bureau, HttpResponse response, DocumentStore store, IOptions<DocumentOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(bureau.Code, id, cancellationToken) is not { } document)
        {
            return DocumentProblems.NotFound();
        }
        var earlier = document.DuplicateOf is { } earlierId ? await store.GetAsync(bureau.Code, earlierId, cancellationToken) : null;
        var view = await DocumentView.WithDownloadsAsync(document, earlier, store, time.GetUtcNow() + options.Value.DownloadUrlLifetime, cancellationToken);
        response.Headers.CacheControl = "no-store";
        return TypedResults.Json(view, ApiJsonContext.Api.DocumentView);
    }
}
