using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.Hosting;

namespace ServerlessInnovation.Functions.IngestDocument;

/// <summary>
/// The queue-triggered <c>IngestDocument</c> function: <c>{"bureau":"…","documentId":"…"}</c> in, the catalog updated and a
/// report stored. A document already ingested (a redelivered message) is left alone. When the last allowed attempt fails,
/// the document is marked failed and its content released, so the bureau can upload the same file again.
/// </summary>
public sealed partial class IngestDocumentHandler(
    DocumentStore store,
    CatalogIngestion ingestion,
    IOptions<QueueTriggerOptions> queueOptions,
    TimeProvider time,
    ILogger<IngestDocumentHandler> logger) : IQueueTriggerHandler
{
    public const string Name = "IngestDocument";
    private const int MaxMessageLength = 1024;

    public async Task HandleAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        var (bureau, documentId) = Read(message.Text);
        var document = await store.GetAsync(bureau, documentId, cancellationToken)
            ?? throw new InvalidOperationException($"Document {bureau}/{documentId} does not exist.");
        if (document.Status is not (DocumentStatus.Queued or DocumentStatus.Ingesting))
        {
            LogAlreadyDone(logger, bureau, documentId, document.Status);
            return;
        }
        try
        {
            await ingestion.IngestAsync(document, cancellationToken);
        }
        catch (Exception exception) when (message.DequeueCount >= queueOptions.Value.MaxDequeueCount && exception is not OperationCanceledException)
        {
            LogGivingUp(logger, exception, bureau, documentId, message.DequeueCount);
            var current = await store.GetAsync(bureau, documentId, cancellationToken) ?? document;
            await store.ReplaceAsync(current with
            {
                Status = DocumentStatus.Failed,
                ProblemCode = "ingestion-error",
                Problem = new("导入多次出错，已停止。已写入的行各自完整有效；请稍后重新上传同一文件。",
                    "Ingestion failed repeatedly and stopped. Rows already written are each complete; upload the same file again later."),
                FinishedAt = time.GetUtcNow(),
            }, cancellationToken);
            if (current.Sha256 is { } sha256)
            {
                await store.ReleaseContentAsync(bureau, sha256, documentId, cancellationToken);
            }
            throw;
        }
    }

    /// <summary>The bureau and document a message this service sent names; anything else throws <see cref="FormatException"/>.</summary>
    public static (string Bureau, string DocumentId) Read(string text)
    {
        if (text.Length > MaxMessageLength)
        {
            throw new FormatException("The message is too long to be a document message.");
        }
        try
        {
            var message = JsonSerializer.Deserialize(text, DocumentJsonContext.Default.DocumentMessage);
            return message is { Bureau: { } bureau, DocumentId: { } id } && Bureaus.Bureau.Find(bureau) is not null && DocumentRecord.IsValidId(id)
                ? (bureau, id)
                : throw new FormatException("The message does not name a known bureau and a valid document id.");
        }
        catch (JsonException exception)
        {
            throw new FormatException("The message is not a document message.", exception);
        }
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Document {Bureau}/{DocumentId} is {Status} already; nothing to do")]
    private static partial void LogAlreadyDone(ILogger logger, string bureau, string documentId, DocumentStatus status);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Error, Message = "Ingesting {Bureau}/{DocumentId} failed on attempt {DequeueCount}, the last allowed; marking it failed")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, string bureau, string documentId, long dequeueCount);
}
