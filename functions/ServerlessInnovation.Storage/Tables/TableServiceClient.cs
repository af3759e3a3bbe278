using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// The Table service of one storage account: creates and deletes tables and hands out <see cref="TableClient"/> instances,
/// which share this client's HTTP pipeline (retries, logging, authorization).
/// </summary>
public sealed class TableServiceClient
{
    private readonly HttpPipeline _pipeline;

    /// <summary>A client that signs requests with the account key (Shared Key).</summary>
    /// <param name="endpoint">The Table endpoint, e.g. <c>https://acct.table.core.windows.net</c> or <c>http://127.0.0.1:10002/devstoreaccount1</c>.</param>
    /// <param name="credential">The account name and key.</param>
    /// <param name="options">Retry, diagnostics, transport and clock options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public TableServiceClient(Uri endpoint, StorageSharedKeyCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Uri = StoragePipeline.ValidateEndpoint(endpoint, "Table");
        _pipeline = StoragePipeline.Build(options ?? new TableClientOptions(), credential, (key, time) => new TableSharedKeyPipelinePolicy(key, time));
    }

    /// <summary>A client that authorizes requests with Microsoft Entra ID tokens (scope <c>https://storage.azure.com/.default</c>).</summary>
    /// <remarks>Azure.Core sends bearer tokens over https only; requests to an http endpoint fail with <see cref="InvalidOperationException"/>.</remarks>
    /// <param name="endpoint">The Table endpoint, e.g. <c>https://acct.table.core.windows.net</c>.</param>
    /// <param name="credential">The identity, e.g. a managed identity.</param>
    /// <param name="options">Retry, diagnostics and transport options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Uri = StoragePipeline.ValidateEndpoint(endpoint, "Table");
        _pipeline = StoragePipeline.Build(options ?? new TableClientOptions(), credential);
    }

    /// <summary>A client that authorizes requests with a shared access signature appended to every request.</summary>
    /// <param name="endpoint">The Table endpoint, without the signature.</param>
    /// <param name="credential">The signature, with or without a leading <c>?</c>.</param>
    /// <param name="options">Retry, diagnostics and transport options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public TableServiceClient(Uri endpoint, AzureSasCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Uri = StoragePipeline.ValidateEndpoint(endpoint, "Table");
        _pipeline = StoragePipeline.Build(options ?? new TableClientOptions(), credential);
    }

    /// <summary>The Table endpoint.</summary>
    public Uri Uri { get; }

    /// <summary>A client for one table, sharing this client's pipeline. Nothing is sent.</summary>
    /// <param name="tableName">The table name: 3 to 63 letters and digits, starting with a letter, not <c>tables</c>.</param>
    /// <returns>The table client.</returns>
    /// <exception cref="ArgumentException">The table name is invalid.</exception>
    public TableClient GetTableClient(string tableName)
    {
        TableLimits.ValidateTableName(tableName, nameof(tableName));
        return new TableClient(_pipeline, Uri, tableName);
    }

    /// <summary>Creates the table unless it exists (table names are case-insensitive).</summary>
    /// <param name="tableName">The table name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when this call created the table, false when it existed.</returns>
    /// <exception cref="ArgumentException">The table name is invalid.</exception>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    /// <inheritdoc cref="TableClient.CreateIfNotExistsAsync" path="/remarks"/>
    public Task<bool> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).CreateIfNotExistsAsync(cancellationToken);

    /// <summary>Deletes the table and its entities; a table that does not exist is not an error.</summary>
    /// <param name="tableName">The table name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response: 204, or 404 when the table did not exist.</returns>
    /// <exception cref="ArgumentException">The table name is invalid.</exception>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    public Task<Response> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).DeleteAsync(cancellationToken);
}
