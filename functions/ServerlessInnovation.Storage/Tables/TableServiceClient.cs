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
    /// <summary>The Entra ID scope of Azure Storage.</summary>
    internal const string StorageScope = "https://storage.azure.com/.default";

    private readonly HttpPipeline _pipeline;

    /// <summary>A client that signs requests with the account key (Shared Key).</summary>
    /// <param name="endpoint">The Table endpoint, e.g. <c>https://acct.table.core.windows.net</c> or <c>http://127.0.0.1:10002/devstoreaccount1</c>.</param>
    /// <param name="credential">The account name and key.</param>
    /// <param name="options">Retry, diagnostics, transport and clock options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public TableServiceClient(Uri endpoint, StorageSharedKeyCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new TableClientOptions();
        Uri = ValidateEndpoint(endpoint);
        _pipeline = BuildPipeline(options, perRetryPolicy: new TableSharedKeyPipelinePolicy(credential, options.TimeProvider));
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
        Uri = ValidateEndpoint(endpoint);
        _pipeline = BuildPipeline(options ?? new TableClientOptions(), perRetryPolicy: new BearerTokenAuthenticationPolicy(credential, StorageScope));
    }

    /// <summary>A client that authorizes requests with a shared access signature appended to every request.</summary>
    /// <param name="endpoint">The Table endpoint, without the signature.</param>
    /// <param name="credential">The signature, with or without a leading <c>?</c>.</param>
    /// <param name="options">Retry, diagnostics and transport options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query.</exception>
    public TableServiceClient(Uri endpoint, AzureSasCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Uri = ValidateEndpoint(endpoint);
        _pipeline = BuildPipeline(options ?? new TableClientOptions(), perCallPolicy: new StorageSasPipelinePolicy(credential));
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

    private static HttpPipeline BuildPipeline(
        TableClientOptions options, HttpPipelinePolicy? perCallPolicy = null, HttpPipelinePolicy? perRetryPolicy = null)
    {
        var pipelineOptions = new HttpPipelineOptions(options) { RequestFailedDetailsParser = StorageRequestFailedDetailsParser.Instance };
        if (perCallPolicy is not null)
        {
            pipelineOptions.PerCallPolicies.Add(perCallPolicy);
        }
        if (perRetryPolicy is not null)
        {
            // Per retry: each try is re-dated and re-signed (Shared Key) or re-checked for token expiry (bearer).
            pipelineOptions.PerRetryPolicies.Add(perRetryPolicy);
        }
        return HttpPipelineBuilder.Build(pipelineOptions);
    }

    private static Uri ValidateEndpoint(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The Table endpoint must be an absolute http or https URI.", nameof(endpoint));
        }
        if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            throw new ArgumentException(
                "The Table endpoint must not have a query; pass a shared access signature as an AzureSasCredential.", nameof(endpoint));
        }
        return endpoint;
    }
}
