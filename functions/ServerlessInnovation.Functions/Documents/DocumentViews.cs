using ServerlessInnovation.Domain;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.Documents;

/// <summary><c>POST /api/bureau/documents/upload-url</c>: what the browser is about to upload.</summary>
public sealed record DocumentUploadRequest(string? Kind, string? FileName, string? ContentType, long? Size, string? CarrierId);

/// <summary>Where and how to upload the file, and where to say it is there.</summary>
/// <param name="Headers">Headers the upload request must carry.</param>
public sealed record DocumentUploadTicket(
    string DocumentId, string UploadUrl, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt, string CompleteUrl, DocumentView Document);

public sealed record DocumentProblem(string Code, string Zh, string En);

public sealed record DocumentLinks(string Self, string? Complete, string? Download, string? Report, string? RefusedRows, string? Earlier);

/// <summary>A document as a bureau sees it. Download links are short-lived read URLs, present on a single document's view.</summary>
public sealed record DocumentView(
    string Id,
    string Kind,
    LocalizedText KindName,
    string FileName,
    string Status,
    LocalizedText StatusName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UploadedAt,
    DateTimeOffset? FinishedAt,
    string? UploadedBy,
    long? Size,
    string? Format,
    string? Sha256,
    string? CarrierId,
    string? DuplicateOf,
    DocumentProblem? Problem,
    IngestionCounts? Counts,
    DocumentLinks Links)
{
    public static string PathOf(string id) => $"/api/bureau/documents/{id}";

    public static DocumentView From(DocumentRecord document, DocumentLinks? links = null) => new(
        document.Id,
        document.Kind.Code(),
        document.Kind.Name(),
        document.FileName,
        document.Status.Code(),
        document.Status.Name(),
        document.CreatedAt,
        document.UploadedAt,
        document.FinishedAt,
        document.UploadedBy,
        document.Size,
        document.Type?.Code(),
        document.Sha256,
        document.CarrierId,
        document.DuplicateOf,
        document is { ProblemCode: { } code, Problem: { } problem } ? new DocumentProblem(code, problem.Zh, problem.En) : null,
        document.Counts,
        links ?? new DocumentLinks(PathOf(document.Id),
            document.Status == DocumentStatus.AwaitingUpload ? PathOf(document.Id) + "/complete" : null, null, null, null,
            document.DuplicateOf is { } earlier ? PathOf(earlier) : null));

    /// <summary>The view with read URLs for the file and the reports (a duplicate links the earlier document's report).</summary>
    public static async Task<DocumentView> WithDownloadsAsync(DocumentRecord document, DocumentRecord? earlier, DocumentStore store, DateTimeOffset expiresOn,
        CancellationToken cancellationToken)
    {
        var hasFile = document.Status is DocumentStatus.Queued or DocumentStatus.Ingesting or DocumentStatus.Ingested or DocumentStatus.Failed or DocumentStatus.Stored;
        var reported = earlier ?? document;
        var view = From(document);
        return view with
        {
            Counts = document.Counts ?? earlier?.Counts,
            Links = view.Links with
            {
                Download = hasFile ? (await store.DownloadUrlAsync(document.SourceBlob, expiresOn, cancellationToken)).AbsoluteUri : null,
                Report = reported.HasReport ? (await store.DownloadUrlAsync(reported.ReportBlob, expiresOn, cancellationToken)).AbsoluteUri : null,
                RefusedRows = reported.HasReport && reported.Counts?.Refused > 0
                    ? (await store.DownloadUrlAsync(reported.RefusedRowsBlob, expiresOn, cancellationToken)).AbsoluteUri
                    : null,
            },
        };
    }
}

/// <summary>One page of a bureau's documents, newest first; <see cref="Next"/> is the next page's URL, null on the last.</summary>
public sealed record DocumentPage(IReadOnlyList<DocumentView> Items, string? Next);

/// <summary>The problems of the document endpoints.</summary>
public static class DocumentProblems
{
    public static ApiProblem NotFound() =>
        Problems.NotFound(new("没有这份文件（或不属于本局）。", "There is no such document (for this bureau)."));

    public static ApiProblem Rejected(DocumentRecord document) =>
        new(StatusCodes.Status422UnprocessableEntity, document.ProblemCode ?? "rejected",
            new("文件未通过检查", "The file was rejected"),
            document.Problem ?? new("文件未通过检查。", "The file failed the checks."))
        { Errors = [new("file", document.ProblemCode ?? "rejected", document.Problem ?? new("文件未通过检查", "The file failed the checks"))] };

    public static ApiProblem UploadMissing() =>
        new(StatusCodes.Status409Conflict, "upload-missing",
            new("文件尚未上传", "The file has not been uploaded"),
            new("请先用上传地址上传文件，再确认上传完成。", "Upload the file with the upload URL first, then complete the upload."));

    public static ApiProblem TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "file-too-large",
            new("文件过大", "The file is too large"),
            DocumentIntake.TooLarge(limit));
}
