using System.Globalization;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.ListDocuments;

/// <summary><c>GET /api/bureau/documents?limit=20&amp;after={id}</c>: the bureau's own documents, newest first, a page at a time.</summary>
public static class ListDocumentsFunction
{
    public const string Name = "ListDocuments";
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapListDocuments(this IEndpointRouteBuilder bureau)
    {
        bureau.MapGet("/documents", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<IResult> HandleAsync(Bureau bureau, HttpRequest request, HttpResponse response, DocumentStore store, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var limit = DefaultLimit;
        var limitText = request.Query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.OutOfRange("limit", 1, MaxLimit);
        }
        var after = request.Query["after"].ToString();
        if (after.Length > 0 && !DocumentRecord.IsValidId(after))
        {
            errors.Add("after", "invalid-id", new("不是有效的文件编号", "Not a valid document id"));
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.All);
        }

        var page = await store.ListAsync(bureau.Code, limit, after.Length > 0 ? after : null, cancellationToken);
        var next = page.Count == limit
            ? string.Create(CultureInfo.InvariantCulture, $"/api/bureau/documents?limit={limit}&after={page[^1].Id}")
            : null;
        response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new DocumentPage([.. page.Select(d => DocumentView.From(d))], next), ApiJsonContext.Api.DocumentPage);
    }
}
