using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.RequestDocumentUpload;

/// <summary>
/// <c>POST /api/bureau/documents/upload-url</c>: a document id and a short-lived URL through which the browser writes the
/// file straight to Blob storage (one <c>PUT</c>, up to <see cref="DocumentOptions.MaxUploadBytes"/>). The URL can create
/// that one blob and nothing else: it cannot read, list or replace. Then <c>POST …/{id}/complete</c>.
/// </summary>
public static class RequestDocumentUploadFunction
{
    public const string Name = "RequestDocumentUpload";

    public static IEndpointRouteBuilder MapRequestDocumentUpload(this IEndpointRouteBuilder bureau)
    {
        bureau.MapPost("/documents/upload-url", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<IResult> HandleAsync(
        Bureau bureau, HttpContext context, DocumentStore store, LiveCatalog catalog, IOptions<DocumentOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context.Request, ApiJsonContext.Api.DocumentUploadRequest, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }
        var request = body.Value!;
        var errors = new FieldErrors();
        var upload = DocumentUploads.Validate(request.Kind, request.FileName, request.ContentType, request.CarrierId, bureau, catalog, errors);
        var limit = options.Value.MaxUploadBytes;
        if (request.Size is null)
        {
            errors.Required("size");
        }
        else if (request.Size is < 1 || request.Size > limit)
        {
            errors.Add("size", "out-of-range", new($"文件大小须在1字节到{limit / DocumentOptions.MiB} MiB之间", $"The size must be 1 byte to {limit / DocumentOptions.MiB} MiB"));
        }
        if (upload is null || errors.Any)
        {
            return Problems.Validation(errors.All);
        }

        var now = time.GetUtcNow();
        var document = await store.AddAsync(
            DocumentUploads.NewDocument(bureau, upload.Value, request.Size, context.User.Identity?.Name, now), cancellationToken);
        var expiresAt = now + options.Value.UploadUrlLifetime;
        var url = await store.UploadUrlAsync(document.SourceBlob, expiresAt, cancellationToken);
        var path = DocumentView.PathOf(document.Id);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created(path, new DocumentUploadTicket(
            document.Id,
            url.AbsoluteUri,
            "PUT",
            new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob", ["Content-Type"] = document.DeclaredContentType },
            expiresAt,
            path + "/complete",
            DocumentView.From(document)));
    }
}
