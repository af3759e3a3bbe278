using Azure;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Documents;

namespace ServerlessInnovation.Functions.CompleteDocumentUpload;

/// <summary>
/// <c>POST /api/bureau/documents/{id}/complete</c>: the browser says the file is uploaded. The file is read once from
/// storage (size, format by its first bytes, SHA-256), then queued for ingestion, kept, marked a duplicate, or rejected
/// and deleted. Completing again answers with the document as it is.
/// </summary>
public static class CompleteDocumentUploadFunction
{
    public const string Name = "CompleteDocumentUpload";

    public static IEndpointRouteBuilder MapCompleteDocumentUpload(this IEndpointRouteBuilder bureau)
    {
        bureau.MapPost("/documents/{id}/complete", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<IResult> HandleAsync(
        string id, Bureau bureau, HttpResponse response, DocumentStore store, DocumentIntake intake, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(bureau.Code, id, cancellationToken) is not { } document)
        {
            return DocumentProblems.NotFound();
        }
        if (document.Status != DocumentStatus.AwaitingUpload)
        {
            return DocumentUploads.Answer(document, response);
        }
        try
        {
            return DocumentUploads.Answer(await intake.CompleteAsync(document, cancellationToken), response);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return DocumentProblems.UploadMissing();
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            // Another completion of the same document got there first: answer with what it decided.
            return DocumentUploads.Answer((await store.GetAsync(bureau.Code, id, cancellationToken))!, response);
        }
    }
}
