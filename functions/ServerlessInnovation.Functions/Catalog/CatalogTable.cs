using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Catalog;

/// <summary>The catalog's version: a counter every writer bumps after changing carriers.</summary>
public sealed record CatalogVersion(long Number, DateTimeOffset ChangedAt);

/// <summary>The carrier catalog in Table storage: reading it whole, writing carriers, and the version that tells readers it changed.</summary>
public sealed partial class CatalogTable(TableServiceClient tables, IOptions<CatalogOptions> options, TimeProvider time, ILogger<CatalogTable> logger)
{
    private const string StatePartition = "catalog";
    private const string VersionRow = "version";
    private const int MaxBatch = 100;
    private const int MaxVersionAttempts = 20;

    private readonly TableClient _carriers = tables.GetTableClient(options.Value.CarrierTable);
    private readonly TableClient _state = tables.GetTableClient(options.Value.StateTable);

    public async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        await _carriers.CreateIfNotExistsAsync(cancellationToken);
        await _state.CreateIfNotExistsAsync(cancellationToken);
    }

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await foreach (var page in _carriers.QueryAsync(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                return false;
            }
        }
        return true;
    }

    public async Task<CatalogVersion?> GetVersionAsync(CancellationToken cancellationToken)
    {
        var response = await _state.GetEntityIfExistsAsync(StatePartition, VersionRow, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } entity
            ? new CatalogVersion(entity.GetInt64("Version") ?? 0, entity.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue)
            : null;
    }

    /// <summary>Reads every carrier, page by page. Entities that are not valid carriers are skipped and logged, never fatal.</summary>
    public async Task<IReadOnlyList<Carrier>> LoadCarriersAsync(CancellationToken cancellationToken)
    {
        var carriers = new List<Carrier>();
        await foreach (var entity in _carriers.QueryAsync(cancellationToken: cancellationToken))
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

    /// <summary>Upserts carriers in entity-group batches (one district, at most 100 each), then bumps the version.</summary>
    public async Task<CatalogVersion> SaveCarriersAsync(IEnumerable<Carrier> carriers, CancellationToken cancellationToken)
    {
        foreach (var district in carriers.GroupBy(c => c.DistrictCode, StringComparer.Ordinal))
        {
            foreach (var batch in district.Chunk(MaxBatch))
            {
                await _carriers.SubmitTransactionAsync(
                    batch.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, CarrierEntity.From(c))),
                    cancellationToken);
            }
        }
        return await BumpVersionAsync(cancellationToken);
    }

    /// <summary>Increments the version with optimistic concurrency, so concurrent writers each get their own number.</summary>
    public async Task<CatalogVersion> BumpVersionAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var current = await _state.GetEntityIfExistsAsync(StatePartition, VersionRow, cancellationToken: cancellationToken);
            try
            {
                if (!current.HasValue || current.Value is null)
                {
                    await _state.AddEntityAsync(VersionEntity(1, now), cancellationToken);
                    return new CatalogVersion(1, now);
                }
                var next = (current.Value.GetInt64("Version") ?? 0) + 1;
                await _state.UpdateEntityAsync(VersionEntity(next, now), current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return new CatalogVersion(next, now);
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < MaxVersionAttempts)
            {
                // Another writer got there first: read again and retry.
            }
        }
    }

    private static TableEntity VersionEntity(long version, DateTimeOffset now) => new(StatePartition, VersionRow)
    {
        ["Version"] = version,
        ["ChangedAt"] = now,
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Skipped catalog entity {PartitionKey}/{RowKey}: {Problem}")]
    private static partial void LogInvalidCarrier(ILogger logger, string partitionKey, string rowKey, string problem);
}
