using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>The message that asks for a document to be ingested.</summary>
public sealed record DocumentMessage(string Bureau, string DocumentId);

/// <summary>
/// Bureau documents: their records in Table storage, their files in Blob storage, the URLs that let a browser write or
/// read one file for a few minutes, and the queue that asks for ingestion. Created on first use.
/// </summary>
public sealed class DocumentStore : IDisposable
{
    /// <summary>Rows that map a file's SHA-256 to the document that first had it sort after every document id.</summary>
    private const string ContentRowPrefix = "~sha256-";

    private readonly TableServiceClient _tables;
    private readonly TableClient _documents;
    private readonly BlobServiceClient _blobs;
    private readonly BlobContainerClient _container;
    private readonly QueueClient _queue;
    private readonly QueueMessageWatcher _watcher;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _keyLock = new(1, 1);
    private UserDelegationKey? _delegationKey;
    private readonly CreatedOnce _ready;
    private readonly string[] _browserUploadOrigins;

    public DocumentStore(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, QueueMessageWatcher watcher,
        IOptions<DocumentOptions> options, IConfiguration configuration, TimeProvider time)
    {
        _tables = tables;
        _blobs = blobs;
        _watcher = watcher;
        _time = time;
        _documents = tables.GetTableClient(options.Value.DocumentTable);
        _container = blobs.GetBlobContainerClient(options.Value.Container);
        _queue = queues.GetQueueClient(configuration[DocumentOptions.QueueSetting]
            ?? throw new InvalidOperationException($"The setting {DocumentOptions.QueueSetting} is missing."));
        _browserUploadOrigins = options.Value.BrowserUploadOrigins;
        _ready = new CreatedOnce(CreateAsync);
    }

    public string QueueName => _queue.Name;

    public BlobClient Blob(string name) => _container.GetBlobClient(name);

    public async Task<DocumentRecord?> GetAsync(string bureau, string id, CancellationToken cancellationToken)
    {
        if (!DocumentRecord.IsValidId(id))
        {
            return null;
        }
        await ReadyAsync(cancellationToken);
        var response = await _documents.GetEntityIfExistsAsync(bureau, id, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } entity ? DocumentRecord.FromEntity(entity) : null;
    }

    public async Task<DocumentRecord> AddAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var response = await _documents.AddEntityAsync(document.ToEntity(), cancellationToken);
        return document with { ETag = response.Headers.ETag ?? default };
    }

    /// <summary>Replaces the record if it has not changed since it was read; throws <see cref="RequestFailedException"/> 412 otherwise.</summary>
    public async Task<DocumentRecord> ReplaceAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        var response = await _documents.UpdateEntityAsync(document.ToEntity(), document.ETag, TableUpdateMode.Replace, cancellationToken);
        return document with { ETag = response.Headers.ETag ?? default };
    }

    /// <summary>The bureau's documents, newest first, after the document <paramref name="after"/> (exclusive) if given.</summary>
    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(string bureau, int limit, string? after, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {bureau} and RowKey lt {ContentRowPrefix}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {bureau} and RowKey gt {after} and RowKey lt {ContentRowPrefix}");
        var page = new List<DocumentRecord>(limit);
        await foreach (var entity in _documents.QueryAsync(filter, maxPerPage: limit, cancellationToken: cancellationToken))
        {
            page.Add(DocumentRecord.FromEntity(entity));
            if (page.Count == limit)
            {
                break;
            }
        }
        return page;
    }

    /// <summary>
    /// Claims a file's content for <paramref name="documentId"/>: returns null when this is the first document of the bureau
    /// with that SHA-256, else the id of the earlier one.
    /// </summary>
    public async Task<string?> ClaimContentAsync(string bureau, string sha256, string documentId, CancellationToken cancellationToken)
    {
        var row = ContentRowPrefix + sha256;
        try
        {
            await _documents.AddEntityAsync(new TableEntity(bureau, row) { ["DocumentId"] = documentId, ["ClaimedAt"] = _time.GetUtcNow() }, cancellationToken);
            return null;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            var earlier = await _documents.GetEntityAsync(bureau, row, cancellationToken: cancellationToken);
            var earlierId = earlier.Value.GetString("DocumentId");
            return earlierId == documentId ? null : earlierId;
        }
    }

    /// <summary>Gives a file's content back (its document was rejected before it was used), so the same file may come again.</summary>
    public async Task ReleaseContentAsync(string bureau, string sha256, string documentId, CancellationToken cancellationToken)
    {
        var row = await _documents.GetEntityIfExistsAsync(bureau, ContentRowPrefix + sha256, cancellationToken: cancellationToken);
        if (row.HasValue && row.Value is { } entity && entity.GetString("DocumentId") == documentId)
        {
            await _documents.DeleteEntityAsync(bureau, entity.RowKey, entity.ETag, cancellationToken);
        }
    }

    public async Task EnqueueAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        await _queue.SendMessageAsync(
            JsonSerializer.Serialize(new DocumentMessage(document.Bureau, document.Id), DocumentJsonContext.Default.DocumentMessage),
            cancellationToken: cancellationToken);
        _watcher.Notify(_queue.Name);
    }

    /// <summary>
    /// A URL that lets a browser create <paramref name="blobName"/> once, until <paramref name="expiresOn"/>: create-only
    /// (<c>sp=c</c>), so it can neither read nor replace the file once it exists.
    /// </summary>
    public async Task<Uri> UploadUrlAsync(string blobName, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        return await SasAsync(Blob(blobName), BlobSasPermissions.Create, expiresOn, cancellationToken);
    }

    /// <summary>A URL that lets a browser read <paramref name="blobName"/> until <paramref name="expiresOn"/>.</summary>
    public Task<Uri> DownloadUrlAsync(string blobName, DateTimeOffset expiresOn, CancellationToken cancellationToken) =>
        SasAsync(Blob(blobName), BlobSasPermissions.Read, expiresOn, cancellationToken);

    /// <summary>
    /// A service SAS when the app holds the account key (the emulator, local runs); in Azure, where shared keys are
    /// disabled, a user delegation SAS signed with a key the app's managed identity obtains and keeps for a day.
    /// </summary>
    private async Task<Uri> SasAsync(BlobClient blob, BlobSasPermissions permissions, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(permissions, expiresOn);
        }
        var key = _delegationKey;
        if (key is null || key.SignedExpiresOn < expiresOn)
        {
            await _keyLock.WaitAsync(cancellationToken);
            try
            {
                key = _delegationKey;
                if (key is null || key.SignedExpiresOn < expiresOn)
                {
                    var now = _time.GetUtcNow();
                    key = _delegationKey = (await _blobs.GetUserDelegationKeyAsync(null, now.AddDays(1), cancellationToken)).Value;
                }
            }
            finally
            {
                _keyLock.Release();
            }
        }
        return blob.GenerateUserDelegationSasUri(key, permissions, expiresOn);
    }

    public void Dispose() => _keyLock.Dispose();

    private Task ReadyAsync(CancellationToken cancellationToken) => _ready.EnsureAsync(cancellationToken);

    /// <summary>
    /// Creates what this store keeps things in, and the browser uploads' CORS rule when configured (once: see
    /// <see cref="CreatedOnce"/>; every document operation waits for it, so the rule is there before a page gets a URL).
    /// </summary>
    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _tables.CreateTableIfNotExistsAsync(_documents.Name, cancellationToken);
        await _container.CreateIfNotExistsAsync(cancellationToken);
        await _queue.CreateIfNotExistsAsync(cancellationToken);
        // Locally and in tests: let the bureau pages PUT uploads to, and read reports from, Blob storage (Azure: infrastructure).
        await BrowserUploadCors.EnsureAsync(_blobs, _browserUploadOrigins, cancellationToken);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DocumentMessage))]
internal sealed partial class DocumentJsonContext : JsonSerializerContext;
