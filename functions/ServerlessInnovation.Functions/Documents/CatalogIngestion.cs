using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Spreadsheets;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>
/// Applies a catalog spreadsheet to the carrier catalog. The file is copied to a local temporary file and read twice,
/// streaming: the first pass only checks (the file as a whole can be read, within the limits, and which carrier ids come
/// more than once), so a file that cannot be read is refused before anything is written; the second pass checks each row
/// again and upserts the good ones in entity-group batches (one district, at most 100 carriers each, a few in flight).
/// A row is written whole or not at all; rows that are refused are listed in the report with row, column and reason.
/// Running it again (a redelivered message) writes the same rows again, which changes nothing.
/// </summary>
public sealed partial class CatalogIngestion(
    DocumentStore store, CatalogTable catalogTable, LiveCatalog catalog, IOptions<DocumentOptions> options, IOptions<CatalogOptions> catalogOptions,
    TimeProvider time, ILogger<CatalogIngestion> logger)
{
    public async Task<DocumentRecord> IngestAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        var bureau = Bureau.Find(document.Bureau) ?? throw new InvalidOperationException($"Document {document.Id} belongs to an unknown bureau.");
        var started = time.GetUtcNow();
        if (document.Status != DocumentStatus.Ingesting)
        {
            document = await store.ReplaceAsync(document with { Status = DocumentStatus.Ingesting }, cancellationToken);
        }
        var snapshot = await catalog.GetAsync(catalogOptions.Value.FirstLoadWait, cancellationToken)
            ?? throw new InvalidOperationException("The catalog is not loaded yet; the ingestion is retried.");

        var phase = time.GetTimestamp();
        await using var file = await DownloadAsync(document, cancellationToken);
        var downloaded = time.GetElapsedTime(phase);
        phase = time.GetTimestamp();
        var report = new IngestionReport(document, started, options.Value.MaxReportedRowErrors);
        var limits = SheetLimits.Default with { MaxDataRows = options.Value.MaxCatalogRows };
        var declaredEncoding = FileTypes.Charset(document.DeclaredContentType) switch
        {
            "utf-8" or "utf8" => CsvEncoding.Utf8,
            "gb18030" or "gbk" or "gb2312" => CsvEncoding.Gb18030,
            _ => null,
        };

        // Pass 1: can the file be read at all, and which ids repeat? Nothing is written.
        HashSet<string> repeated;
        try
        {
            repeated = FindRepeatedIds(file, limits, declaredEncoding, report);
        }
        catch (SpreadsheetException exception)
        {
            report.FileProblem = exception;
            return await FinishAsync(document, report, DocumentStatus.Failed, cancellationToken);
        }

        // Pass 2: check each row again and apply the good ones.
        var checkedAll = time.GetElapsedTime(phase);
        phase = time.GetTimestamp();
        file.Position = 0;
        var writer = new BatchWriter(catalogTable, options.Value.IngestionConcurrency, report, cancellationToken);
        using (var reader = CatalogRowReader.Open(file, limits, declaredEncoding, leaveOpen: true))
        {
            var idColumn = reader.HeaderOf(CatalogColumns.Id);
            var districtColumn = reader.HeaderOf(CatalogColumns.District);
            while (reader.TryReadRow(out var row))
            {
                report.CountRow();
                if (row.Carrier is not { } carrier)
                {
                    report.Refuse(row.Errors);
                    continue;
                }
                if (repeated.Contains(carrier.Id))
                {
                    report.Refuse(row.Number, idColumn, "duplicate-id", new(
                        $"载体编号 {carrier.Id} 在文件中出现了不止一次，相关各行均未导入", $"Carrier id {carrier.Id} appears more than once in the file; none of those rows was applied"));
                    continue;
                }
                if (!bureau.Covers(carrier.DistrictCode))
                {
                    report.Refuse(row.Number, districtColumn, "outside-jurisdiction", new(
                        $"该区县不在{bureau.Name.Zh}的管辖范围内", $"The district is outside the jurisdiction of the {bureau.Name.En}"));
                    continue;
                }
                if (snapshot.Index.Find(carrier.Id) is { } existing && existing.DistrictCode != carrier.DistrictCode)
                {
                    report.Refuse(row.Number, districtColumn, "district-change", new(
                        $"载体 {carrier.Id} 已登记在其他区县（{existing.DistrictCode}），不能通过名录迁移，请联系市科技局",
                        $"Carrier {carrier.Id} is registered in another district ({existing.DistrictCode}); a catalog cannot move it"));
                    continue;
                }
                await writer.AddAsync(row.Number, CarrierEntity.From(carrier));
            }
        }
        await writer.FlushAsync();
        if (report.Applied > 0)
        {
            await catalogTable.RecordChangeAsync(cancellationToken);
        }
        var applied = time.GetElapsedTime(phase);
        LogIngested(logger, document.Bureau, document.Id, report.Rows, report.Applied, report.Refused, downloaded, checkedAll, applied);
        return await FinishAsync(document, report, DocumentStatus.Ingested, cancellationToken);
    }

    /// <summary>The ids of carriers that more than one valid row of the file describes (pass 1: nothing is written).</summary>
    private static HashSet<string> FindRepeatedIds(Stream file, SheetLimits limits, Encoding? declaredEncoding, IngestionReport report)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        using var reader = CatalogRowReader.Open(file, limits, declaredEncoding, leaveOpen: true);
        report.Warnings.AddRange(reader.Warnings);
        while (reader.TryReadRow(out var row))
        {
            if (row.Carrier is { } carrier && !seen.Add(carrier.Id))
            {
                repeated.Add(carrier.Id);
            }
        }
        return repeated;
    }

    /// <summary>The file in a local temporary file (deleted when closed), so it can be read twice and, for XLSX, unzipped.</summary>
    private async Task<FileStream> DownloadAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "ingest-" + document.Id), FileMode.Create, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            // If-Match: the file ingested is the file that was checked (an upload URL cannot replace it, but be sure).
            var conditions = document.BlobETag is { } etag ? new BlobRequestConditions { IfMatch = new ETag(etag) } : null;
            using var download = (await store.Blob(document.SourceBlob).DownloadStreamingAsync(conditions: conditions, cancellationToken: cancellationToken)).Value;
            await download.Content.CopyToAsync(file, cancellationToken);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task<DocumentRecord> FinishAsync(DocumentRecord document, IngestionReport report, DocumentStatus status, CancellationToken cancellationToken)
    {
        report.FinishedAt = time.GetUtcNow();
        report.Status = status;
        await UploadAsync(document.ReportBlob, "application/json; charset=utf-8", report.WriteJson, cancellationToken);
        await UploadAsync(document.RefusedRowsBlob, "text/csv; charset=utf-8", report.WriteRefusedRowsCsv, cancellationToken);
        return await store.ReplaceAsync(document with
        {
            Status = status,
            FinishedAt = report.FinishedAt,
            Counts = new IngestionCounts(report.Rows, report.Applied, report.Refused),
            ProblemCode = report.FileProblem?.Code,
            Problem = report.FileProblem?.Reason,
            HasReport = true,
        }, cancellationToken);
    }

    private async Task UploadAsync(string blobName, string contentType, Action<Stream> write, CancellationToken cancellationToken)
    {
        await using var content = new FileStream(Path.Combine(Path.GetTempPath(), "report-" + Guid.NewGuid().ToString("n")), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.DeleteOnClose);
        write(content);
        content.Position = 0;
        await store.Blob(blobName).UploadAsync(content, new BlobUploadOptions { Overwrite = true, ContentType = contentType }, cancellationToken);
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information,
        Message = "Catalog {Bureau}/{DocumentId} ingested: {Rows} rows, {Applied} applied, {Refused} refused; download {Download}, check {Check}, apply {Apply}")]
    private static partial void LogIngested(ILogger logger, string bureau, string documentId, int rows, int applied, int refused,
        TimeSpan download, TimeSpan check, TimeSpan apply);

    /// <summary>
    /// Collects carriers per district into entity-group batches and writes full ones with a few in flight. A batch the
    /// service refuses is written again one carrier at a time, so one bad row cannot take 99 good ones with it.
    /// </summary>
    private sealed class BatchWriter(CatalogTable table, int concurrency, IngestionReport report, CancellationToken cancellationToken)
    {
        private readonly Dictionary<string, List<(int Row, TableEntity Entity)>> _pending = new(StringComparer.Ordinal);
        private readonly List<Task> _inFlight = [];

        public async Task AddAsync(int row, TableEntity entity)
        {
            if (!_pending.TryGetValue(entity.PartitionKey, out var batch))
            {
                _pending[entity.PartitionKey] = batch = new List<(int, TableEntity)>(CatalogTable.MaxBatch);
            }
            batch.Add((row, entity));
            if (batch.Count == CatalogTable.MaxBatch)
            {
                _pending.Remove(entity.PartitionKey);
                await StartAsync(batch);
            }
        }

        public async Task FlushAsync()
        {
            foreach (var batch in _pending.Values)
            {
                await StartAsync(batch);
            }
            _pending.Clear();
            await Task.WhenAll(_inFlight);
        }

        private async Task StartAsync(List<(int Row, TableEntity Entity)> batch)
        {
            _inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
            while (_inFlight.Count >= concurrency)
            {
                await Task.WhenAny(_inFlight);
                // A faulted write surfaces here and fails the ingestion (the message is retried).
                foreach (var done in _inFlight.Where(t => t.IsCompleted).ToList())
                {
                    await done;
                    _inFlight.Remove(done);
                }
            }
            _inFlight.Add(WriteAsync(batch));
        }

        private async Task WriteAsync(List<(int Row, TableEntity Entity)> batch)
        {
            try
            {
                await table.UpsertBatchAsync([.. batch.Select(b => b.Entity)], cancellationToken);
                report.AddApplied(batch.Count);
                return;
            }
            catch (TableTransactionFailedException)
            {
                // One entity was refused; find which, writing them one by one.
            }
            foreach (var (row, entity) in batch)
            {
                try
                {
                    await table.UpsertOneAsync(entity, cancellationToken);
                    report.AddApplied(1);
                }
                catch (RequestFailedException exception) when (exception.Status is 400 or 413)
                {
                    report.Refuse(row, null, "storage-refused", new("存储服务拒绝了这一行（内容过长或含不允许的字符）", "Storage refused this row (too long or disallowed characters)"));
                }
            }
        }
    }
}
