using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Catalog;

/// <summary>
/// The catalog's version: <see cref="Number"/> counts the changes ever recorded (what the API shows); <see cref="Token"/>
/// identifies the state of every counter, so readers see any change, whichever counter it went to.
/// </summary>
public sealed record CatalogVersion(long Number, string Token);

/// <summary>The carrier catalog in Table storage: reading it whole, writing carriers, and the version that tells readers it changed.</summary>
public sealed partial class CatalogTable(TableServiceClient tables, IOptions<CatalogOptions> options, TimeProvider time, ILogger<CatalogTable> logger)
{
    /// <summary>
    /// The version is kept in this many counter rows of one partition: a writer increments a random one, so many writers
    /// (bureau uploads, seat reservations on many instances) rarely meet on the same row; a reader reads them all at once.
    /// </summary>
    private const int VersionShards = 16;
    private const string VersionPartition = "version";
    private const int MaxVersionAttempts = 30;

    /// <summary>Rows of other kinds (seat reservations) live beside carriers with row keys from here on; carrier ids sort before it.</summary>
    public const string NonCarrierRowKeyStart = "~";

    /// <summary>Most carriers in one entity-group transaction.</summary>
    public const int MaxBatch = 100;

    private readonly TableClient _carriers = tables.GetTableClient(options.Value.CarrierTable);
    private readonly TableClient _state = tables.GetTableClient(options.Value.StateTable);
    private long _saves;

    public async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        await _carriers.CreateIfNotExistsAsync(cancellationToken);
        await _state.CreateIfNotExistsAsync(cancellationToken);
    }

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await foreach (var page in _carriers.QueryAsync(CarrierRows, maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The version: all counters, read in one query; null when the catalog has never changed.</summary>
    public async Task<CatalogVersion?> GetVersionAsync(CancellationToken cancellationToken)
    {
        var counters = new List<(string Shard, long Count)>(VersionShards);
        await foreach (var row in _state.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {VersionPartition}"), cancellationToken: cancellationToken))
        {
            counters.Add((row.RowKey, row.GetInt64("Version") ?? 0));
        }
        return counters.Count == 0
            ? null
            : new CatalogVersion(counters.Sum(c => c.Count), string.Join(',', counters.Select(c => $"{c.Shard}:{c.Count}")));
    }

    /// <summary>Reads every carrier, page by page. Entities that are not valid carriers are skipped and logged, never fatal.</summary>
    public async Task<IReadOnlyList<Carrier>> LoadCarriersAsync(CancellationToken cancellationToken)
    {
        var carriers = new List<Carrier>();
        await foreach (var entity in _carriers.QueryAsync(CarrierRows, cancellationToken: cancellationToken))
        {
            if (CarrierEntity.TryRead(entity, out var carrier, out var problem))
            {
                carriers.Add(carrier);
            }
            else
            {
                LogInvalidCarrier(logger, entity.PartitionKey, entity.RowKey, problem);
            }
        }
        return carriers;
    }

    /// <summary>One carrier as stored now, with its ETag; null when it is not in the table (or not a valid carrier).</summary>
    public async Task<(Carrier Carrier, ETag ETag)?> GetCarrierAsync(string district, string id, CancellationToken cancellationToken)
    {
        var response = await _carriers.GetEntityIfExistsAsync(district, id, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }
        if (!CarrierEntity.TryRead(entity, out var carrier, out var problem))
        {
            LogInvalidCarrier(logger, district, id, problem);
            return null;
        }
        return (carrier, entity.ETag);
    }

    /// <summary>
    /// Upserts carriers in entity-group batches (one district, at most 100 each), then records the change. Every carrier
    /// is checked first the way loading reads it back, so one that loading would skip (say, more free area than area) is
    /// refused and nothing is written.
    /// </summary>
    /// <exception cref="ArgumentException">A carrier would not read back.</exception>
    public async Task SaveCarriersAsync(IEnumerable<Carrier> carriers, CancellationToken cancellationToken)
    {
        var entities = carriers.Select(CarrierEntity.From).ToList();
        foreach (var entity in entities)
        {
            if (!CarrierEntity.TryRead(entity, out _, out var problem))
            {
                throw new ArgumentException($"Carrier {entity.RowKey} cannot be saved: {problem}.", nameof(carriers));
            }
        }
        foreach (var district in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var batch in district.Chunk(MaxBatch))
            {
                await UpsertBatchAsync(batch, cancellationToken);
            }
        }
        await RecordChangeAsync(cancellationToken);
    }

    /// <summary>
    /// Upserts (replaces) one entity-group batch: carrier entities of one district, at most 100, all or none. It does not
    /// record a change: a bulk writer records one at the end (<see cref="RecordChangeAsync"/>).
    /// </summary>
    /// <exception cref="TableTransactionFailedException">The service refused the batch; nothing in it was written.</exception>
    public async Task UpsertBatchAsync(IReadOnlyCollection<TableEntity> carriers, CancellationToken cancellationToken)
    {
        try
        {
            await _carriers.SubmitTransactionAsync(
                carriers.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _saves);
        }
    }

    /// <summary>Upserts (replaces) one carrier entity on its own, without recording a change.</summary>
    public async Task UpsertOneAsync(TableEntity carrier, CancellationToken cancellationToken)
    {
        try
        {
            await _carriers.UpsertEntityAsync(carrier, TableUpdateMode.Replace, cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _saves);
        }
    }

    /// <summary>
    /// How many saves of carriers this instance has finished (or given up part-way): a version of a carrier read before
    /// the count last changed may have been overwritten by a save.
    /// </summary>
    public long Saves => Interlocked.Read(ref _saves);

    /// <summary>
    /// Tells every instance that carriers changed: increments one of the version counters, picked at random, with
    /// optimistic concurrency; on a conflict it tries another.
    /// </summary>
    public async Task RecordChangeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var shard = Random.Shared.Next(VersionShards).ToString("d2", System.Globalization.CultureInfo.InvariantCulture);
            var current = await _state.GetEntityIfExistsAsync(VersionPartition, shard, cancellationToken: cancellationToken);
            try
            {
                if (!current.HasValue || current.Value is null)
                {
                    await _state.AddEntityAsync(VersionEntity(shard, 1), cancellationToken);
                }
                else
                {
                    await _state.UpdateEntityAsync(VersionEntity(shard, (current.Value.GetInt64("Version") ?? 0) + 1), current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                return;
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < MaxVersionAttempts)
            {
                // Another writer got there first.
            }
        }
    }

    private TableEntity VersionEntity(string shard, long version) => new(VersionPartition, shard)
    {
        ["Version"] = version,
        ["ChangedAt"] = time.GetUtcNow(),
    };

    /// <summary>Only carrier rows: reservations and other rows sharing a carrier's partition sort after them.</summary>
    private static string CarrierRows => TableClient.CreateQueryFilter($"RowKey lt {NonCarrierRowKeyStart}");

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Skipped catalog entity {PartitionKey}/{RowKey}: {Problem}")]
    private static partial void LogInvalidCarrier(ILogger logger, string partitionKey, string rowKey, string problem);
}
