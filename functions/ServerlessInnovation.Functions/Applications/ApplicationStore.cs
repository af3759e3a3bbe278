using ServerlessInnovation.Functions.Hosting;
using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>Which application an <c>Idempotency-Key</c> created, and the fingerprint of the request that created it.</summary>
public sealed record ApplicationRequest(string ApplicationId, string Fingerprint);

/// <summary>
/// Applications in Table storage, their idempotency records, and the queue that asks for decisions (what carriers see of
/// them is in <see cref="SeatLedger"/>). Tables and queue are created on first use.
/// </summary>
public sealed class ApplicationStore
{
    private readonly TableServiceClient _tables;
    private readonly TableClient _applications;
    private readonly TableClient _requests;
    private readonly QueueClient _queue;
    private readonly QueueMessageWatcher _watcher;
    private readonly CreatedOnce _ready;

    public ApplicationStore(
        TableServiceClient tables, QueueServiceClient queues, QueueMessageWatcher watcher, IOptions<ApplicationOptions> options, IConfiguration configuration)
    {
        _tables = tables;
        _watcher = watcher;
        _applications = tables.GetTableClient(options.Value.ApplicationTable);
        _requests = tables.GetTableClient(options.Value.RequestTable);
        // The queue the ProcessApplication function listens on: its function.json names it %ApplicationsQueue%.
        _queue = queues.GetQueueClient(configuration[QueueSetting] ?? throw new InvalidOperationException($"The setting {QueueSetting} is missing."));
        _ready = new CreatedOnce(CreateAsync);
    }

    public const string QueueSetting = "ApplicationsQueue";

    public string QueueName => _queue.Name;

    public async Task<ApplicationRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var response = await _applications.GetEntityIfExistsAsync(ApplicationRecord.PartitionOf(id), id, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } entity ? ApplicationRecord.FromEntity(entity) : null;
    }

    /// <summary>
    /// The applications with these ids that exist, by id: one request per day (partition) when there are several, a point
    /// read when there is one.
    /// </summary>
    public async Task<Dictionary<string, ApplicationRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ApplicationRecord>(ids.Count);
        if (ids.Count == 1)
        {
            if (await GetAsync(ids.First(), cancellationToken) is { } application)
            {
                found[application.Id] = application;
            }
            return found;
        }
        await ReadyAsync(cancellationToken);
        foreach (var day in ids.GroupBy(ApplicationRecord.PartitionOf))
        {
            var rows = string.Join(" or ", day.Select(id => TableClient.CreateQueryFilter($"RowKey eq {id}")));
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day.Key}") + " and (" + rows + ")";
            await foreach (var entity in _applications.QueryAsync(filter, cancellationToken: cancellationToken))
            {
                found[entity.RowKey] = ApplicationRecord.FromEntity(entity);
            }
        }
        return found;
    }

    /// <summary>Stores a new application; returns it with its ETag, or null when one with this id exists already.</summary>
    public async Task<ApplicationRecord?> AddAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        try
        {
            var response = await _applications.AddEntityAsync(application.ToEntity(), cancellationToken);
            return application with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores new applications, one entity-group transaction per day; returns those stored, with their ETags (one whose id
    /// exists already is left out). If a transaction fails, its applications are stored one by one instead.
    /// </summary>
    public async Task<List<ApplicationRecord>> AddManyAsync(IReadOnlyList<ApplicationRecord> applications, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var stored = new List<ApplicationRecord>(applications.Count);
        foreach (var group in Groups(applications, a => a.Id))
        {
            if (group.Length > 1)
            {
                try
                {
                    var response = await _applications.SubmitTransactionAsync(
                        group.Select(a => new TableTransactionAction(TableTransactionActionType.Add, a.ToEntity())), cancellationToken);
                    stored.AddRange(group.Select((a, i) => a with { ETag = response.Value[i].Headers.ETag ?? default }));
                    continue;
                }
                catch (TableTransactionFailedException)
                {
                    // One of them exists already (a retried request whose first try stored it): nothing was stored; one by one.
                }
            }
            foreach (var application in group)
            {
                if (await AddAsync(application, cancellationToken) is { } added)
                {
                    stored.Add(added);
                }
            }
        }
        return stored;
    }

    /// <summary>Replaces the application if it has not changed since it was read; throws <see cref="RequestFailedException"/> 412 otherwise.</summary>
    public async Task<ApplicationRecord> ReplaceAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        var response = await _applications.UpdateEntityAsync(application.ToEntity(), application.ETag, TableUpdateMode.Replace, cancellationToken);
        return application with { ETag = response.Headers.ETag ?? default };
    }

    /// <summary>
    /// Replaces applications of one day together, each only if it has not changed since it was read: all are replaced, or
    /// (<see cref="TableTransactionFailedException"/>, 412 for a changed one) none.
    /// </summary>
    public async Task ReplaceAllAsync(IReadOnlyList<ApplicationRecord> applications, CancellationToken cancellationToken) =>
        await _applications.SubmitTransactionAsync(
            applications.Select(a => new TableTransactionAction(TableTransactionActionType.UpdateReplace, a.ToEntity(), a.ETag)), cancellationToken);

    /// <summary>Items grouped for entity-group transactions on their applications: by day (partition), at most 100 a group.</summary>
    public static IEnumerable<T[]> Groups<T>(IEnumerable<T> items, Func<T, string> applicationId) =>
        items.GroupBy(item => ApplicationRecord.PartitionOf(applicationId(item))).SelectMany(day => day.Chunk(TableClient.MaxTransactionActions));

    /// <summary>Asks for the applications to be decided: one message on the applications queue for at most <see cref="ApplicationMessage.MaxApplications"/>.</summary>
    public async Task EnqueueAsync(IReadOnlyList<string> applicationIds, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        foreach (var ids in applicationIds.Chunk(ApplicationMessage.MaxApplications))
        {
            await _queue.SendMessageAsync(JsonSerializer.Serialize(new ApplicationMessage(ids), ApplicationJsonContext.Default.ApplicationMessage),
                cancellationToken: cancellationToken);
        }
        // Standalone, this process's own listener picks it up at once instead of at its next poll.
        _watcher.Notify(_queue.Name);
    }

    public async Task<ApplicationRequest?> GetRequestAsync(string keyHash, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var response = await _requests.GetEntityIfExistsAsync(keyHash[..2], keyHash, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } entity
            ? new ApplicationRequest(entity.GetString("ApplicationId")!, entity.GetString("Fingerprint")!)
            : null;
    }

    /// <summary>Claims an idempotency key for an application; false when another request claimed it first.</summary>
    public async Task<bool> TryAddRequestAsync(string keyHash, ApplicationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        try
        {
            await _requests.AddEntityAsync(new TableEntity(keyHash[..2], keyHash)
            {
                ["ApplicationId"] = request.ApplicationId,
                ["Fingerprint"] = request.Fingerprint,
                ["CreatedAt"] = now,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Every application submitted up to the UTC day <paramref name="lastDay"/>, with only the <paramref name="columns"/>
    /// asked for: one day's partition after another, from the earliest, a page in memory at a time.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> ScanAsync(IEnumerable<string> columns, DateOnly lastDay,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        // Results come in key order: the first entity is in the earliest partition.
        string? earliest = null;
        await foreach (var entity in _applications.QueryAsync(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            earliest = entity.PartitionKey;
            break;
        }
        if (earliest is null || !DateOnly.TryParseExact(earliest, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            yield break;
        }
        for (; day <= lastDay; day = day.AddDays(1))
        {
            var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            await foreach (var entity in _applications.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: columns,
                               cancellationToken: cancellationToken))
            {
                yield return entity;
            }
        }
    }

    /// <summary>Applications of one UTC day still waiting for a decision since before <paramref name="before"/>.</summary>
    public async IAsyncEnumerable<ApplicationRecord> PendingAsync(DateOnly day, DateTimeOffset before,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and Status eq {ApplicationStatus.Submitted.Code()} and SubmittedAt lt {before}");
        await foreach (var entity in _applications.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            yield return ApplicationRecord.FromEntity(entity);
        }
    }

    private Task ReadyAsync(CancellationToken cancellationToken) => _ready.EnsureAsync(cancellationToken);

    /// <summary>Creates what this store keeps things in (once: see <see cref="CreatedOnce"/>).</summary>
    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _tables.CreateTableIfNotExistsAsync(_applications.Name, cancellationToken);
        await _tables.CreateTableIfNotExistsAsync(_requests.Name, cancellationToken);
        await _queue.CreateIfNotExistsAsync(cancellationToken);
    }
}
