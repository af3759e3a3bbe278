using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using static ServerlessInnovation.Storage.StorageRequests;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// One table: entity reads and writes, queries and transactions. Get one from <see cref="TableServiceClient.GetTableClient"/>.
/// </summary>
/// <remarks>
/// Failed requests throw <see cref="RequestFailedException"/> with the HTTP <see cref="RequestFailedException.Status"/> and the
/// service's <see cref="RequestFailedException.ErrorCode"/> (e.g. 409 <c>EntityAlreadyExists</c>, 412
/// <c>UpdateConditionNotSatisfied</c>). Transient failures (408, 429, 500, 502, 503, 504, network errors) are retried as
/// configured in <see cref="Azure.Core.ClientOptions.Retry"/>. Entities are validated against the service's limits before
/// anything is sent; a violation throws <see cref="ArgumentException"/>.
/// </remarks>
public sealed class TableClient
{
    private const string JsonContentType = "application/json";
    private const string MinimalMetadata = "application/json;odata=minimalmetadata";
    private static readonly RequestMethod Merge = RequestMethod.Parse("MERGE");

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    internal TableClient(HttpPipeline pipeline, Uri endpoint, string name)
    {
        _pipeline = pipeline;
        _endpoint = endpoint;
        Name = name;
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>
    /// Builds a <c>$filter</c> expression in which every interpolated value becomes a typed OData literal, so values
    /// cannot change the expression: <c>CreateQueryFilter($"PartitionKey eq {pk} and Score ge {minimum}")</c>.
    /// </summary>
    /// <remarks>
    /// Literals: <see cref="string"/> and <see cref="char"/> <c>'text'</c> with <c>'</c> doubled; <see cref="bool"/>
    /// <c>true</c>/<c>false</c>; <see cref="int"/> <c>42</c>; <see cref="long"/> <c>42L</c>; <see cref="double"/>
    /// <c>2.0</c> (finite only); <see cref="DateTimeOffset"/> and <see cref="DateTime"/> <c>datetime'2024-01-02T03:04:05.0000000Z'</c>
    /// (an unspecified kind is taken as UTC); <see cref="Guid"/> <c>guid'…'</c>; <see cref="byte"/> arrays and
    /// <see cref="BinaryData"/> <c>X'68656c6c6f'</c>; null <c>null</c>.
    /// </remarks>
    /// <param name="filter">The filter, with values interpolated.</param>
    /// <returns>The filter text, to pass to <see cref="QueryAsync"/>.</returns>
    /// <exception cref="ArgumentException">A value has a type with no filter literal (e.g. <see cref="float"/> or <see cref="decimal"/>), or is a non-finite double.</exception>
    public static string CreateQueryFilter(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = filter.GetArguments();
        var literals = new object[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            literals[i] = ODataLiteral(arguments[i]) ?? throw new ArgumentException(
                $"Filter value {i} is a {arguments[i]!.GetType().FullName} with no Table filter literal. Use string, bool, int, long, " +
                "a finite double, DateTimeOffset, DateTime, Guid or byte[].",
                nameof(filter));
        }
        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>Creates the table unless it exists.</summary>
    /// <remarks>
    /// If a first try created the table but its response was lost, the retry finds the table and this returns false.
    /// </remarks>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when this call created the table, false when it existed.</returns>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(message, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && ErrorCode(response) == "TableAlreadyExists")
        {
            return false;
        }
        EnsureSuccess(response);
        return true;
    }

    /// <summary>Deletes the table and its entities; a table that does not exist is not an error.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response: 204, or 404 when the table did not exist.</returns>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    public async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, $"Tables('{Name}')");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status == 404 ? response : EnsureSuccess(response);
    }

    /// <summary>Inserts an entity that must not exist yet.</summary>
    /// <remarks>
    /// Not idempotent: if a first try succeeded but its response was lost, the retry fails with 409
    /// <c>EntityAlreadyExists</c>. Read the new ETag from the response's <c>ETag</c> header.
    /// </remarks>
    /// <param name="entity">The entity, with its keys.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response (204, with the new ETag).</returns>
    /// <exception cref="ArgumentException">The entity breaks a Table service limit.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 409 <c>EntityAlreadyExists</c>.</exception>
    public async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableLimits.ValidateEntity(entity, nameof(entity));
        using var message = CreateMessage(RequestMethod.Post, Name);
        // An insert that may have been applied must not be sent again: it would come back as 409 for the caller's own entity.
        StorageResponseClassifier.MarkNonIdempotent(message);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(message, TableEntityJson.Serialize(entity));
        return EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Inserts the entity, or updates it when it exists, whatever its ETag.</summary>
    /// <param name="entity">The entity, with its keys.</param>
    /// <param name="mode"><see cref="TableUpdateMode.Merge"/> keeps stored properties the entity does not mention; <see cref="TableUpdateMode.Replace"/> drops them.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response (204, with the new ETag).</returns>
    /// <exception cref="ArgumentException">The entity breaks a Table service limit.</exception>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    public async Task<Response> UpsertEntityAsync(
        TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        TableLimits.ValidateEntity(entity, nameof(entity));
        using var message = CreateMessage(UpdateMethod(mode), EntityPath(entity.PartitionKey, entity.RowKey));
        SetJsonContent(message, TableEntityJson.Serialize(entity));
        return EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Updates an existing entity if its stored ETag matches <paramref name="ifMatch"/>.</summary>
    /// <remarks>
    /// With a specific ETag this is not idempotent: if a first try succeeded but its response was lost, the retry fails
    /// with 412 because the ETag has changed.
    /// </remarks>
    /// <param name="entity">The entity, with its keys.</param>
    /// <param name="ifMatch">The ETag last read, or <see cref="ETag.All"/> to update whatever the stored version.</param>
    /// <param name="mode"><see cref="TableUpdateMode.Merge"/> keeps stored properties the entity does not mention; <see cref="TableUpdateMode.Replace"/> drops them.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response (204, with the new ETag).</returns>
    /// <exception cref="ArgumentException">The entity breaks a Table service limit, or <paramref name="ifMatch"/> is the default ETag.</exception>
    /// <exception cref="RequestFailedException">The service refused the request: 412 <c>UpdateConditionNotSatisfied</c> for a stale ETag, 404 for a missing entity.</exception>
    public async Task<Response> UpdateEntityAsync(
        TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        TableLimits.ValidateEntity(entity, nameof(entity));
        if (ifMatch == default)
        {
            throw new ArgumentException("Pass the entity's ETag, or ETag.All for an unconditional update.", nameof(ifMatch));
        }
        using var message = CreateMessage(UpdateMethod(mode), EntityPath(entity.PartitionKey, entity.RowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, ifMatch.ToString("H"));
        SetJsonContent(message, TableEntityJson.Serialize(entity));
        return EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes an entity if its stored ETag matches; an entity that does not exist is not an error.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="ifMatch">The ETag last read; the default deletes whatever the stored version (<see cref="ETag.All"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response: 204, or 404 when the entity did not exist.</returns>
    /// <exception cref="ArgumentException">A key is invalid.</exception>
    /// <exception cref="RequestFailedException">The service refused the request: 412 <c>UpdateConditionNotSatisfied</c> for a stale ETag, 404 <c>TableNotFound</c>.</exception>
    public async Task<Response> DeleteEntityAsync(
        string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, EntityPath(partitionKey, rowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, ifMatch == default ? "*" : ifMatch.ToString("H"));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return IsMissingEntity(response) ? response : EnsureSuccess(response);
    }

    /// <summary>Reads one entity.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="select">The properties to return, or null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The entity, with its ETag.</returns>
    /// <exception cref="ArgumentException">A key is invalid.</exception>
    /// <exception cref="RequestFailedException">The service refused the request: 404 <c>ResourceNotFound</c> for a missing entity.</exception>
    public async Task<Response<TableEntity>> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateGetEntityMessage(partitionKey, rowKey, select);
        var response = EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(ReadEntity(response), response);
    }

    /// <summary>Reads one entity, or reports that it does not exist.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="select">The properties to return, or null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The entity, with its ETag, or a response without value when the entity does not exist.</returns>
    /// <exception cref="ArgumentException">A key is invalid.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>TableNotFound</c>.</exception>
    public async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateGetEntityMessage(partitionKey, rowKey, select);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (IsMissingEntity(response))
        {
            return new NoValueResponse<TableEntity>(response);
        }
        EnsureSuccess(response);
        return Response.FromValue(ReadEntity(response), response);
    }

    /// <summary>
    /// Queries entities, in PartitionKey then RowKey order, following the service's continuation across pages.
    /// Enumerate the entities directly, or use <see cref="AsyncPageable{T}.AsPages"/> to see each page and its continuation
    /// token, and resume later with <c>AsPages(continuationToken)</c>.
    /// </summary>
    /// <remarks>Requests are sent as the enumeration proceeds; a page can be empty and still not be the last.</remarks>
    /// <param name="filter">An OData <c>$filter</c>, best built with <see cref="CreateQueryFilter"/>; null for all entities.</param>
    /// <param name="maxPerPage">At most this many entities per page (1 to 1000; <c>$top</c>); null for the service's 1000.</param>
    /// <param name="select">The properties to return, or null for all.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The entities, fetched page by page.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPerPage"/> is outside 1 to 1000.</exception>
    public AsyncPageable<TableEntity> QueryAsync(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        if (maxPerPage is { } top)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(top, 1, nameof(maxPerPage));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(top, 1000, nameof(maxPerPage));
        }
        var selectList = JoinSelect(select);
        return new ContinuationPageable<TableEntity>(
            (continuationToken, pageSize, ct) => QueryPageAsync(filter, pageSize, selectList, continuationToken, ct),
            maxPerPage,
            cancellationToken);
    }

    /// <summary>At most this many actions in one entity group transaction.</summary>
    public const int MaxTransactionActions = TableLimits.MaxTransactionActions;

    /// <summary>
    /// Submits an entity group transaction: up to 100 actions on entities of one partition, each entity at most once,
    /// committed all together or not at all.
    /// </summary>
    /// <remarks>
    /// The rules (1 to 100 actions, one PartitionKey, distinct RowKeys, a body of at most 4 MiB, each entity within the
    /// service's limits) are checked before anything is sent. A transaction is not idempotent: if a first try committed
    /// but its response was lost, the retry fails (an Add finds its entity, an ETag has changed) or applies upserts again.
    /// </remarks>
    /// <param name="actions">The actions, applied in order.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One response per action, in order (204 with the new ETag, for example), and the batch response.</returns>
    /// <exception cref="ArgumentException">The actions break a transaction rule or an entity breaks a Table service limit.</exception>
    /// <exception cref="TableTransactionFailedException">An action failed, so none was committed; the exception names the action.</exception>
    /// <exception cref="RequestFailedException">The service refused the batch request itself.</exception>
    public async Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        TableTransactionBatch.Validate(list, nameof(actions));
        var batchId = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes(TableTransactionBatch.Build(TableUrl(), list, batchId, Guid.NewGuid()));
        if (body.Length > TableLimits.MaxTransactionBodySize)
        {
            throw new ArgumentException(
                $"The transaction body is {body.Length} bytes; the Table service allows at most {TableLimits.MaxTransactionBodySize} (4 MiB).",
                nameof(actions));
        }

        using var message = CreateMessage(RequestMethod.Post, "$batch");
        if (list.Exists(action => action.ActionType == TableTransactionActionType.Add))
        {
            StorageResponseClassifier.MarkNonIdempotent(message);
        }
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, $"multipart/mixed; boundary={TableTransactionBatch.BatchBoundary(batchId)}");
        message.Request.Content = RequestContent.Create(body);
        var response = EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));

        var parts = TableTransactionBatch.ParseResponse(response.Content.ToString());
        if (parts.Find(part => part.IsError) is { } failed)
        {
            var parser = StorageRequestFailedDetailsParser.Instance;
            var index = parser.TryParse(failed, out var error, out _) ? TableTransactionBatch.FailedActionIndex(error?.Message) : null;
            throw new TableTransactionFailedException(failed, index, parser);
        }
        if (parts.Count != list.Count)
        {
            throw new RequestFailedException(response.Status, $"The transaction reply holds {parts.Count} results for {list.Count} actions.");
        }
        return Response.FromValue<IReadOnlyList<Response>>(parts, response);
    }

    private async Task<Page<TableEntity>> QueryPageAsync(
        string? filter, int? top, string? select, string? continuationToken, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Get, Name + "()");
        var uri = message.Request.Uri;
        if (filter is not null)
        {
            uri.AppendQuery("$filter", filter);
        }
        if (select is not null)
        {
            uri.AppendQuery("$select", select);
        }
        if (top is not null)
        {
            uri.AppendQuery("$top", top.Value.ToString(CultureInfo.InvariantCulture));
        }
        if (continuationToken is not null)
        {
            var separator = continuationToken.IndexOf(' ', StringComparison.Ordinal);
            uri.AppendQuery("NextPartitionKey", separator < 0 ? continuationToken : continuationToken[..separator]);
            if (separator >= 0)
            {
                uri.AppendQuery("NextRowKey", continuationToken[(separator + 1)..]);
            }
        }

        // A page can be megabytes: read it into a pooled array rather than let the pipeline buffer it in a growing stream.
        message.BufferResponse = false;
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            throw await StorageRequests.FailUnbufferedAsync(response, cancellationToken).ConfigureAwait(false);
        }
        using var content = await StorageRequests.ReadPooledAsync(response, cancellationToken).ConfigureAwait(false);
        var entities = TableEntityJson.ReadPage(content.Span);
        return Page<TableEntity>.FromValues(entities, NextContinuationToken(response), response);
    }

    // The two continuation headers as one opaque token: "{NextPartitionKey} {NextRowKey}". Tokens contain no spaces.
    private static string? NextContinuationToken(Response response)
    {
        if (!response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var partitionKey) || string.IsNullOrEmpty(partitionKey))
        {
            return null;
        }
        return response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var rowKey) && !string.IsNullOrEmpty(rowKey)
            ? $"{partitionKey} {rowKey}"
            : partitionKey;
    }

    private HttpMessage CreateGetEntityMessage(string partitionKey, string rowKey, IEnumerable<string>? select)
    {
        var message = CreateMessage(RequestMethod.Get, EntityPath(partitionKey, rowKey));
        if (JoinSelect(select) is { } selectList)
        {
            message.Request.Uri.AppendQuery("$select", selectList);
        }
        return message;
    }

    private static TableEntity ReadEntity(Response response)
    {
        var entity = TableEntityJson.ReadEntity(response.Content.ToMemory().Span);
        if (response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }
        return entity;
    }

    /// <summary>A request with the headers every Table request needs; <paramref name="path"/> is relative to the endpoint and already escaped.</summary>
    private HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = _pipeline.CreateRequest(method, _endpoint, path, StorageApiVersions.Table);
        var request = message.Request;
        request.Headers.SetValue(HttpHeader.Names.Accept, MinimalMetadata);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static void SetJsonContent(HttpMessage message, byte[] json)
    {
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, JsonContentType);
        message.Request.Content = RequestContent.Create(json);
    }

    private Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken) =>
        _pipeline.SendRequestAsync(message, cancellationToken);

    // A 404 for the entity itself; a missing table (TableNotFound) is a real error.
    private static bool IsMissingEntity(Response response) => response.Status == 404 && ErrorCode(response) != "TableNotFound";

    private static RequestMethod UpdateMethod(TableUpdateMode mode) => mode switch
    {
        TableUpdateMode.Merge => Merge,
        TableUpdateMode.Replace => RequestMethod.Put,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use TableUpdateMode.Merge or TableUpdateMode.Replace."),
    };

    private string EntityPath(string partitionKey, string rowKey) => Name + EntityKeyPath(partitionKey, rowKey);

    private string TableUrl() => $"{_endpoint.AbsoluteUri.TrimEnd('/')}/{Name}";

    /// <summary><c>(PartitionKey='…',RowKey='…')</c>, with quotes doubled and then percent-encoded; validates both keys.</summary>
    internal static string EntityKeyPath(string partitionKey, string rowKey)
    {
        TableLimits.ValidateKey(partitionKey, TableEntity.PartitionKeyName, nameof(partitionKey));
        TableLimits.ValidateKey(rowKey, TableEntity.RowKeyName, nameof(rowKey));
        return $"(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";
    }

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static string? JoinSelect(IEnumerable<string>? select) =>
        select is null ? null : string.Join(',', select) is { Length: > 0 } joined ? joined : null;

    /// <summary>The OData literal for a filter value, or null when the value has none.</summary>
    private static string? ODataLiteral(object? value) => value switch
    {
        null => "null",
        string text => Quote(text),
        char c => Quote(c.ToString()),
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        double number when double.IsFinite(number) => TableValues.FormatDouble(number),
        DateTimeOffset date => $"datetime'{TableValues.FormatDateTime(date.UtcDateTime)}'",
        DateTime date => $"datetime'{TableValues.FormatDateTime(TableValues.ToUniversal(date))}'",
        Guid id => $"guid'{id:D}'",
        byte[] bytes => $"X'{Convert.ToHexStringLower(bytes)}'",
        BinaryData data => $"X'{Convert.ToHexStringLower(data.ToMemory().Span)}'",
        _ => null,
    };

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
