using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Storage.Blobs;

namespace ServerlessInnovation.Functions.UploadDocument;

/// <summary>
/// <c>POST /api/bureau/documents?kind=…&amp;fileName=…[&amp;carrierId=…]</c> with the file as the body and its type in
/// <c>Content-Type</c>: for small files (up to <see cref="DocumentOptions.MaxDirectUploadBytes"/>). The body streams to
/// Blob storage block by block while it is hashed and measured; past the limit the upload stops and nothing is committed.
/// </summary>
public static class UploadDocumentFunction
{
    public const string Name = "UploadDocument";

    public static IEndpointRouteBuilder MapUploadDocument(this IEndpointRouteBuilder bureau)
    {
        bureau.MapPost("/documents", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<IResult> HandleAsync(
        Bureau bureau, HttpContext context, DocumentStore store, DocumentIntake intake, LiveCatalog catalog, IOptions<DocumentOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var limit = options.Value.MaxDirectUploadBytes;
        if (request.ContentLength > limit)
        {
            return DocumentProblems.TooLarge(limit);
        }
        var errors = new FieldErrors();
        var upload = DocumentUploads.Validate(request.Query["kind"], request.Query["fileName"], request.ContentType, OneOrNull(request.Query["carrierId"]),
            bureau, catalog, errors);
        if (upload is null)
        {
            return Problems.Validation(errors.All);
        }

        var document = await store.AddAsync(
            DocumentUploads.NewDocument(bureau, upload.Value, null, context.User.Identity?.Name, time.GetUtcNow()), cancellationToken);
        Inspection inspection;
        try
        {
            await using var body = new InspectingStream(request.Body, limit);
            var stored = await store.Blob(document.SourceBlob).UploadAsync(body, new BlobUploadOptions
            {
                ContentType = upload.Value.ContentType,
                Metadata = new Dictionary<string, string> { ["bureau"] = bureau.Code, ["document"] = document.Id },
            }, cancellationToken);
            inspection = new(body.BytesRead, body.Sha256(), FileTypes.Detect(body.Head), stored.Value.ETag);
        }
        catch (FileTooLargeException)
        {
            // The blocks sent so far were never committed: the service drops them. Only the record says what happened.
            await intake.RejectAsync(document, "file-too-large", DocumentIntake.TooLarge(limit), cancellationToken);
            return DocumentProblems.TooLarge(limit);
        }
        return DocumentUploads.Answer(await intake.TakeInAsync(document, inspection, cancellationToken), context.Response);
    }

    private static string? OneOrNull(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 0 ? null : values.ToString();
}
