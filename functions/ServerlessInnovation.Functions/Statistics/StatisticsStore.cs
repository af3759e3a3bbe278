using System.Globalization;
using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>
/// Snapshots in Table storage (partition = the date <c>yyyyMMdd</c>, row = <c>{scope}|{indicator}</c>, so a date is one
/// partition and a scope one key range in it) and their files in Blob storage under <c>statistics/yyyy/MM/dd/</c>, with
/// a pointer to the latest. Writing a date again replaces that date's rows and files.
/// </summary>
public sealed class StatisticsStore
{
    private const string LatestPartition = "latest";
    private const string LatestRow = "snapshot";

    private readonly TableServiceClient _tables;
    private readonly TableClient _table;
    private readonly BlobContainerClient _reports;
    private readonly CreatedOnce _ready;

    public StatisticsStore(TableServiceClient tables, BlobServiceClient blobs, IOptions<StatisticsOptions> options)
    {
        _tables = tables;
        _table = tables.GetTableClient(options.Value.StatisticsTable);
        _reports = blobs.GetBlobContainerClient(options.Value.ReportContainer);
        _ready = new CreatedOnce(async cancellationToken =>
        {
            await _tables.CreateTableIfNotExistsAsync(_table.Name, cancellationToken);
            await _reports.CreateIfNotExistsAsync(cancellationToken);
        });
    }

    public static string Partition(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string RowKey(string scope, string code) => scope + "|" + code;

    /// <summary>Where a date's files are: <c>statistics/yyyy/MM/dd/{file}</c>.</summary>
    public static string BlobName(DateOnly date, string file) => $"statistics/{date.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)}/{file}";

    public BlobClient Blob(DateOnly date, string file) => _reports.GetBlobClient(BlobName(date, file));

    /// <summary>The rows of a date, of the given scopes only if any; empty when there is no snapshot of that date.</summary>
    public async Task<IReadOnlyList<StatisticRow>> ReadAsync(DateOnly date, IReadOnlyCollection<string>? scopes, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        var partition = Partition(date);
        var filters = scopes is { Count: > 0 }
            ? scopes.Select(scope => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {scope + "|"} and RowKey lt {scope + "}"}"))
            : [TableClient.CreateQueryFilter($"PartitionKey eq {partition}")];
        var rows = new List<StatisticRow>();
        foreach (var filter in filters)
        {
            await foreach (var entity in _table.QueryAsync(filter, cancellationToken: cancellationToken))
            {
                rows.Add(FromEntity(entity));
            }
        }
        return rows;
    }

    /// <summary>One indicator of one scope on each of the dates from <paramref name="from"/> to <paramref name="to"/> that have a snapshot.</summary>
    public async Task<IReadOnlyDictionary<DateOnly, double>> SeriesAsync(string scope, string code, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        var series = new SortedDictionary<DateOnly, double>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {Partition(from)} and PartitionKey le {Partition(to)} and RowKey eq {RowKey(scope, code)}");
        await foreach (var entity in _table.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            series[DateOnly.ParseExact(entity.PartitionKey, "yyyyMMdd", CultureInfo.InvariantCulture)] = entity.GetDouble("Value") ?? 0;
        }
        return series;
    }

    /// <summary>
    /// Writes a date's rows: upserted in entity-group batches, then any row of that date the snapshot no longer has is
    /// deleted, so the date holds exactly this snapshot.
    /// </summary>
    public async Task WriteRowsAsync(StatisticsSnapshot snapshot, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        var partition = Partition(snapshot.Date);
        var before = new List<string>();
        await foreach (var entity in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"],
                           cancellationToken: cancellationToken))
        {
            before.Add(entity.RowKey);
        }
        foreach (var batch in snapshot.Rows.Chunk(TableClient.MaxTransactionActions))
        {
            await _table.SubmitTransactionAsync(
                batch.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(partition, snapshot.GeneratedAt, row))),
                cancellationToken);
        }
        var now = snapshot.Rows.Select(r => RowKey(r.Scope, r.Code)).ToHashSet(StringComparer.Ordinal);
        foreach (var batch in before.Where(key => !now.Contains(key)).Chunk(TableClient.MaxTransactionActions))
        {
            await _table.SubmitTransactionAsync(
                batch.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, key), ETag.All)), cancellationToken);
        }
    }

    /// <summary>
    /// Points "latest" at <paramref name="date"/> unless it already points at a later date: a row in the table, and
    /// <c>statistics/latest.json</c> beside the snapshots (the date and where its files are).
    /// </summary>
    public async Task MarkLatestAsync(DateOnly date, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        if (await LatestAsync(cancellationToken) is { } latest && latest > date)
        {
            return;
        }
        await _table.UpsertEntityAsync(new TableEntity(LatestPartition, LatestRow)
        {
            ["Date"] = Partition(date),
            ["GeneratedAt"] = generatedAt,
        }, TableUpdateMode.Replace, cancellationToken);
        var pointer = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new LatestSnapshot(date, generatedAt, BlobName(date, "")), StatisticsJsonContext.Default.LatestSnapshot);
        await _reports.GetBlobClient(LatestBlob).UploadAsync(pointer, new BlobUploadOptions { Overwrite = true, ContentType = "application/json" }, cancellationToken);
    }

    /// <summary>The blob that names the latest snapshot.</summary>
    public const string LatestBlob = "statistics/latest.json";

    /// <summary>The date of the latest snapshot; null when there is none yet.</summary>
    public async Task<DateOnly?> LatestAsync(CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync(LatestPartition, LatestRow, cancellationToken: cancellationToken);
        return row.HasValue && row.Value?.GetString("Date") is { } text &&
               DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
    }

    /// <summary>When a date's snapshot was generated; null when there is none.</summary>
    public async Task<DateTimeOffset?> GeneratedAtAsync(DateOnly date, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        await foreach (var entity in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(date)}"), maxPerPage: 1,
                           select: ["GeneratedAt"], cancellationToken: cancellationToken))
        {
            return entity.GetDateTimeOffset("GeneratedAt");
        }
        return null;
    }

    public async Task UploadAsync(DateOnly date, string file, string contentType, Action<Stream> write, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        using var content = new MemoryStream();
        write(content);
        content.Position = 0;
        await Blob(date, file).UploadAsync(content, new BlobUploadOptions { Overwrite = true, ContentType = contentType }, cancellationToken);
    }

    private static TableEntity ToEntity(string partition, DateTimeOffset generatedAt, StatisticRow row) => new(partition, RowKey(row.Scope, row.Code))
    {
        ["Scope"] = row.Scope,
        ["Code"] = row.Code,
        ["Value"] = row.Value,
        ["Previous"] = row.Previous,
        ["Change"] = row.Change,
        ["GeneratedAt"] = generatedAt,
    };

    private static StatisticRow FromEntity(TableEntity entity) =>
        new(entity.GetString("Scope") ?? "", entity.GetString("Code") ?? "", entity.GetDouble("Value") ?? 0, entity.GetDouble("Previous"));
}

/// <summary>What <c>statistics/latest.json</c> says: the latest snapshot's date, when it was made, and the folder of its files.</summary>
public sealed record LatestSnapshot(DateOnly Date, DateTimeOffset GeneratedAt, string Folder);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(LatestSnapshot))]
internal sealed partial class StatisticsJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
