using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>What reading a file through an <see cref="InspectingStream"/> found.</summary>
public sealed record Inspection(long Size, string Sha256, FileType? Type, ETag BlobETag);

/// <summary>
/// Takes an uploaded file in: checks it (size, format by its first bytes against the declared type and the kind, SHA-256),
/// then rejects it (and deletes it), marks it a duplicate of the earlier document with the same content, queues it for
/// ingestion (a catalog) or keeps it (anything else). The same path for upload URLs and direct uploads.
/// </summary>
public sealed partial class DocumentIntake(DocumentStore store, IOptions<DocumentOptions> options, TimeProvider time, ILogger<DocumentIntake> logger)
{
    /// <summary>Reads the blob a browser uploaded through its upload URL and takes it in.</summary>
    public async Task<DocumentRecord> CompleteAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        var blob = store.Blob(document.SourceBlob);
        Inspection inspection;
        try
        {
            using var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            await using var reader = new InspectingStream(download.Content, options.Value.MaxUploadBytes);
            await reader.ReadToEndAsync(cancellationToken);
            inspection = new(reader.BytesRead, reader.Sha256(), FileTypes.Detect(reader.Head), download.Details.ETag);
        }
        catch (FileTooLargeException exception)
        {
            return await RejectAsync(document, "file-too-large", TooLarge(exception.Limit), cancellationToken);
        }
        return await TakeInAsync(document, inspection, cancellationToken);
    }

    /// <summary>Checks an uploaded file and decides what becomes of it; returns the document as stored afterwards.</summary>
    public async Task<DocumentRecord> TakeInAsync(DocumentRecord document, Inspection inspection, CancellationToken cancellationToken)
    {
        var declared = FileTypes.FromContentType(document.DeclaredContentType);
        var limit = options.Value.MaxUploadBytes;
        (string Code, LocalizedText Reason)? refusal = inspection switch
        {
            { Size: 0 } => ("empty-file", new("文件是空的", "The file is empty")),
            { Size: var size } when size > limit => ("file-too-large", TooLarge(limit)),
            { Type: null } => ("unknown-format", new(
                "无法识别文件格式：请上传 CSV、XLSX、PDF、PNG 或 JPEG 文件", "Unrecognised file format: upload a CSV, XLSX, PDF, PNG or JPEG file")),
            { Type: { } type } when declared != type => ("type-mismatch", new(
                $"文件内容是 {type.Code().ToUpperInvariant()}，与声明的类型 {document.DeclaredContentType} 不符",
                $"The content is {type.Code().ToUpperInvariant()}, not the declared {document.DeclaredContentType}")),
            { Type: { } type } when !document.Kind.Formats().Contains(type) => ("format-not-allowed", new(
                $"{document.Kind.Name().Zh}只接受 {string.Join("、", document.Kind.Formats().Select(f => f.Code().ToUpperInvariant()))} 文件",
                $"A {document.Kind.Name().En.ToLowerInvariant()} must be {string.Join(", ", document.Kind.Formats().Select(f => f.Code().ToUpperInvariant()))}")),
            { Size: var size } when document.DeclaredSize is { } declaredSize && size != declaredSize => ("size-mismatch", new(
                $"上传的文件有{size}字节，与申请上传地址时声明的{declaredSize}字节不符", $"The file has {size} bytes, not the {declaredSize} declared")),
            _ => null,
        };
        var now = time.GetUtcNow();
        var checkedDocument = document with
        {
            Size = inspection.Size,
            Sha256 = inspection.Sha256,
            Type = inspection.Type,
            BlobETag = inspection.BlobETag.ToString(),
            UploadedAt = now,
        };
        if (refusal is { } refused)
        {
            return await RejectAsync(checkedDocument, refused.Code, refused.Reason, cancellationToken);
        }

        if (await store.ClaimContentAsync(document.Bureau, inspection.Sha256, document.Id, cancellationToken) is { } earlierId)
        {
            // The same file again: nothing is read or applied twice; the earlier document's report stands.
            await DeleteSourceAsync(document, cancellationToken);
            LogDuplicate(logger, document.Bureau, document.Id, earlierId);
            return await store.ReplaceAsync(checkedDocument with { Status = DocumentStatus.Duplicate, DuplicateOf = earlierId, FinishedAt = now }, cancellationToken);
        }
        if (!document.Kind.IsIngested())
        {
            return await store.ReplaceAsync(checkedDocument with { Status = DocumentStatus.Stored, FinishedAt = now }, cancellationToken);
        }
        var queued = await store.ReplaceAsync(checkedDocument with { Status = DocumentStatus.Queued }, cancellationToken);
        await store.EnqueueAsync(queued, cancellationToken);
        return queued;
    }

    public async Task<DocumentRecord> RejectAsync(DocumentRecord document, string code, LocalizedText reason, CancellationToken cancellationToken)
    {
        await DeleteSourceAsync(document, cancellationToken);
        LogRejected(logger, document.Bureau, document.Id, code);
        return await store.ReplaceAsync(document with
        {
            Status = DocumentStatus.Rejected,
            ProblemCode = code,
            Problem = reason,
            FinishedAt = time.GetUtcNow(),
        }, cancellationToken);
    }

    public static LocalizedText TooLarge(long limit) =>
        new($"文件超过{limit / DocumentOptions.MiB} MiB 的上限", $"The file exceeds the {limit / DocumentOptions.MiB} MiB limit");

    private async Task DeleteSourceAsync(DocumentRecord document, CancellationToken cancellationToken) =>
        await store.Blob(document.SourceBlob).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Document {Bureau}/{DocumentId} rejected: {Code}")]
    private static partial void LogRejected(ILogger logger, string bureau, string documentId, string code);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Document {Bureau}/{DocumentId} is the same file as {EarlierId}")]
    private static partial void LogDuplicate(ILogger logger, string bureau, string documentId, string earlierId);
}
