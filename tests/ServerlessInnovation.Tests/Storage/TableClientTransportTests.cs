using System.Net;
using Azure;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>What goes on the wire for each operation, and how answers are turned into results and exceptions.</summary>
public sealed class TableClientTransportTests
{
    private const string Endpoint = "http://127.0.0.1:10002/devstoreaccount1";
    private const string StaleETag = "W/\"datetime'2026-11-22T01%3A54%3A05.5477512Z'\"";
    private const string NewETag = "W/\"datetime'2026-11-22T01%3A54%3A06.0000000Z'\"";

    private static TableClient Table(StubHttpHandler handler) => handler.CreateServiceClient().GetTableClient("mytable");

    private static string OdataError(string code, string message) =>
        "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"" + message +
        "\\nRequestId:1\\nTime:2026-11-22T01:54:05.0000000Z\"}}}";

    [Fact]
    public async Task EveryRequestSendsTheTableProtocolHeaders()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent, null, ("ETag", NewETag));

        var response = await Table(handler).AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });

        var request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(new Uri($"{Endpoint}/mytable"), request.Uri);
        Assert.Equal("application/json;odata=minimalmetadata", request.Header("Accept"));
        Assert.Equal("3.0", request.Header("DataServiceVersion"));
        Assert.Equal("3.0;NetFx", request.Header("MaxDataServiceVersion"));
        Assert.Equal("2020-12-06", request.Header("x-ms-version"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("return-no-content", request.Header("Prefer"));
        Assert.Null(request.Header("If-Match"));
        Assert.StartsWith("SharedKey devstoreaccount1:", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal("""{"PartitionKey":"p","RowKey":"r","N":1}""", request.Body);
        Assert.Equal(204, response.Status);
        Assert.Equal(new ETag(NewETag), response.Headers.ETag);
    }

    [Fact]
    public void ServiceClientRejectsAnInvalidTableNameWithoutSending()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var service = handler.CreateServiceClient();

        Assert.Throws<ArgumentException>(() => service.GetTableClient("no-dashes"));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task ClientRejectsAnOversizedEntityWithoutSending()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var table = handler.CreateServiceClient().GetTableClient("mytable");
        var entity = new TableEntity("p", "r") { ["S"] = new string('s', 40_000) };

        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(entity));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(entity));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(entity, ETag.All));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteEntityAsync("a/b", "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync("p", "r?"));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task CreateTablePostsItsNameAndReportsWhetherItWasNew()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.NoContent)
            .Then(HttpStatusCode.Conflict, OdataError("TableAlreadyExists", "The table specified already exists."), ("x-ms-error-code", "TableAlreadyExists"));
        var service = handler.CreateServiceClient();

        Assert.True(await service.CreateTableIfNotExistsAsync("mytable"));
        Assert.False(await service.CreateTableIfNotExistsAsync("mytable"));

        Assert.All(handler.Requests, r => Assert.Equal(new Uri($"{Endpoint}/Tables"), r.Uri));
        Assert.Equal("""{"TableName":"mytable"}""", handler.Requests[0].Body);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task CreateTableThrowsForAConflictOtherThanAlreadyExists()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.Conflict, OdataError("TableBeingDeleted", "The table is being deleted."), ("x-ms-error-code", "TableBeingDeleted"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).CreateIfNotExistsAsync());

        Assert.Equal("TableBeingDeleted", exception.ErrorCode);
    }

    [Fact]
    public async Task DeleteTableAddressesTheTableAndToleratesItsAbsence()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.NotFound, OdataError("TableNotFound", "The table specified does not exist."), ("x-ms-error-code", "TableNotFound"));

        var response = await handler.CreateServiceClient().DeleteTableAsync("mytable");

        Assert.Equal(404, response.Status);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"{Endpoint}/Tables('mytable')", request.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddConflictIsReportedAndNotRetried()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.Conflict, OdataError("EntityAlreadyExists", "The specified entity already exists."), ("x-ms-error-code", "EntityAlreadyExists"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, exception.Status);
        Assert.Equal("EntityAlreadyExists", exception.ErrorCode);
        Assert.StartsWith("The specified entity already exists.", exception.Message, StringComparison.Ordinal);
        Assert.Contains("x-ms-error-code: EntityAlreadyExists", exception.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task ServiceUnavailableIsRetriedUntilItSucceeds()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.ServiceUnavailable)
            .Then(HttpStatusCode.ServiceUnavailable)
            .Then(HttpStatusCode.NoContent);

        var response = await Table(handler).UpsertEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(204, response.Status);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task AnInsertIsNotRepeatedAfterAServerErrorButAnUpsertIs()
    {
        var insert = new StubHttpHandler().Then(HttpStatusCode.InternalServerError).Then(HttpStatusCode.NoContent);
        var upsert = new StubHttpHandler().Then(HttpStatusCode.InternalServerError).Then(HttpStatusCode.NoContent);

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(insert).AddEntityAsync(new TableEntity("p", "r")));
        var response = await Table(upsert).UpsertEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(500, exception.Status);
        Assert.Single(insert.Requests);
        Assert.Equal(204, response.Status);
        Assert.Equal(2, upsert.Requests.Count);
    }

    [Fact]
    public async Task AnInsertIsRetriedWhenTheServiceSaysItDidNothing()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.NoContent);

        var response = await Table(handler).AddEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(204, response.Status);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task PersistentServiceUnavailableFailsAfterTheConfiguredRetries()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.ServiceUnavailable, null, ("x-ms-error-code", "ServerBusy"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(503, exception.Status);
        Assert.Equal("ServerBusy", exception.ErrorCode);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task UpsertMergeSendsMergeAndReplaceSendsPutWithoutIfMatch()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var table = Table(handler);

        await table.UpsertEntityAsync(new TableEntity("p 1", "O'Brien"));
        await table.UpsertEntityAsync(new TableEntity("p 1", "O'Brien"), TableUpdateMode.Replace);

        Assert.Equal(["MERGE", "PUT"], handler.Requests.Select(r => r.Method));
        Assert.All(handler.Requests, r => Assert.Null(r.Header("If-Match")));
        Assert.All(handler.Requests, r => Assert.EndsWith("/mytable(PartitionKey='p%201',RowKey='O%27%27Brien')", r.Uri.AbsoluteUri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateSendsTheETagVerbatimAndReportsAStaleOne()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.PreconditionFailed, OdataError("UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied."),
                ("x-ms-error-code", "UpdateConditionNotSatisfied"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(
            () => Table(handler).UpdateEntityAsync(new TableEntity("p", "r"), new ETag(StaleETag), TableUpdateMode.Replace));

        Assert.Equal(412, exception.Status);
        Assert.Equal("UpdateConditionNotSatisfied", exception.ErrorCode);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(StaleETag, request.Header("If-Match"));
    }

    [Fact]
    public async Task UpdateWithETagAllIsUnconditionalAndDefaultETagIsRefused()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var table = Table(handler);

        await table.UpdateEntityAsync(new TableEntity("p", "r"), ETag.All);
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), default));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("MERGE", request.Method);
        Assert.Equal("*", request.Header("If-Match"));
    }

    [Fact]
    public async Task DeleteDefaultsToIfMatchStarAndToleratesAMissingEntity()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.NoContent)
            .Then(HttpStatusCode.NotFound, OdataError("ResourceNotFound", "The specified resource does not exist."), ("x-ms-error-code", "ResourceNotFound"));
        var table = Table(handler);

        var deleted = await table.DeleteEntityAsync("p", "r");
        var missing = await table.DeleteEntityAsync("p", "r", new ETag(StaleETag));

        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, missing.Status);
        Assert.Equal(["*", StaleETag], handler.Requests.Select(r => r.Header("If-Match")));
        Assert.All(handler.Requests, r => Assert.Equal("DELETE", r.Method));
    }

    [Fact]
    public async Task DeleteFromAMissingTableThrows()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.NotFound, OdataError("TableNotFound", "The table specified does not exist."), ("x-ms-error-code", "TableNotFound"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).DeleteEntityAsync("p", "r"));

        Assert.Equal("TableNotFound", exception.ErrorCode);
    }

    [Fact]
    public async Task GetReadsTheEntityAndTakesTheETagFromTheHeader()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK,
            """{"odata.metadata":"x","odata.etag":"W/\"old\"","PartitionKey":"p","RowKey":"r","Score":"12","Score@odata.type":"Edm.Int64"}""",
            ("ETag", NewETag));

        var response = await Table(handler).GetEntityAsync("p", "r", ["Score", "Name"]);

        Assert.Equal(12L, response.Value.GetInt64("Score"));
        Assert.Equal(new ETag(NewETag), response.Value.ETag);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"{Endpoint}/mytable(PartitionKey='p',RowKey='r')?$select=Score%2CName", request.Uri.AbsoluteUri);
        Assert.Null(request.Header("Content-Type"));
    }

    [Fact]
    public async Task GetOfAMissingEntityThrowsNotFound()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.NotFound, OdataError("ResourceNotFound", "The specified resource does not exist."), ("x-ms-error-code", "ResourceNotFound"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).GetEntityAsync("p", "r"));

        Assert.Equal(404, exception.Status);
        Assert.Equal("ResourceNotFound", exception.ErrorCode);
    }

    [Fact]
    public async Task GetIfExistsReportsAMissingEntityWithoutThrowingButNotAMissingTable()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.NotFound, OdataError("ResourceNotFound", "The specified resource does not exist."), ("x-ms-error-code", "ResourceNotFound"))
            .Then(HttpStatusCode.NotFound, OdataError("TableNotFound", "The table specified does not exist."), ("x-ms-error-code", "TableNotFound"));
        var table = Table(handler);

        var missing = await table.GetEntityIfExistsAsync("p", "r");

        Assert.False(missing.HasValue);
        Assert.Equal(404, missing.GetRawResponse().Status);
        Assert.Throws<InvalidOperationException>(() => missing.Value);
        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityIfExistsAsync("p", "r"));
        Assert.Equal("TableNotFound", exception.ErrorCode);
    }

    [Fact]
    public async Task ErrorCodeFallsBackToTheJsonBody()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.BadRequest, OdataError("PropertyValueTooLarge", "The property value exceeds the maximum allowed size (64KB)."));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(400, exception.Status);
        Assert.Equal("PropertyValueTooLarge", exception.ErrorCode);
        Assert.StartsWith("The property value exceeds the maximum allowed size (64KB).", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorCodeFallsBackToTheXmlBody()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.BadRequest,
            """<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidHeaderValue</Code><Message>The API version 2099-01-01 is not supported.</Message></Error>""");

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Equal("InvalidHeaderValue", exception.ErrorCode);
        Assert.StartsWith("The API version 2099-01-01 is not supported.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderErrorCodeWinsOverTheBody()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Forbidden,
            "<Error><Code>BodyCode</Code><Message>Server failed to authenticate the request.</Message></Error>", ("x-ms-error-code", "AuthorizationFailure"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(403, exception.Status);
        Assert.Equal("AuthorizationFailure", exception.ErrorCode);
    }

    [Fact]
    public async Task AuthenticationFailureMessageNeverQuotesTheSignature()
    {
        const string Signature = "Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ==";
        var handler = new StubHttpHandler().Then(HttpStatusCode.Forbidden,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message>" +
            $"<AuthenticationErrorDetail>The MAC signature found in the HTTP request '{Signature}' is not the same as any computed signature. " +
            "Server used following string to sign: 'POST\n\napplication/json\n...'.</AuthenticationErrorDetail></Error>",
            ("x-ms-error-code", "AuthenticationFailed"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Table(handler).UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Equal("AuthenticationFailed", exception.ErrorCode);
        Assert.Contains("Server failed to authenticate the request.", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("string to sign", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKey", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryFollowsContinuationThroughAnEmptyPage()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.OK, """{"value":[{"PartitionKey":"p","RowKey":"1"},{"PartitionKey":"p","RowKey":"2"}]}""",
                ("x-ms-continuation-NextPartitionKey", "cA=="), ("x-ms-continuation-NextRowKey", "Mw=="))
            .Then(HttpStatusCode.OK, """{"value":[]}""", ("x-ms-continuation-NextPartitionKey", "cQ=="))
            .Then(HttpStatusCode.OK, """{"value":[{"PartitionKey":"q","RowKey":"1"}]}""");

        var entities = new List<string>();
        await foreach (var entity in Table(handler).QueryAsync("Score ge 10", maxPerPage: 2, select: ["Score"]))
        {
            entities.Add($"{entity.PartitionKey}/{entity.RowKey}");
        }

        Assert.Equal(["p/1", "p/2", "q/1"], entities);
        Assert.Equal(
            [
                $"{Endpoint}/mytable()?$filter=Score%20ge%2010&$select=Score&$top=2",
                $"{Endpoint}/mytable()?$filter=Score%20ge%2010&$select=Score&$top=2&NextPartitionKey=cA%3D%3D&NextRowKey=Mw%3D%3D",
                $"{Endpoint}/mytable()?$filter=Score%20ge%2010&$select=Score&$top=2&NextPartitionKey=cQ%3D%3D",
            ],
            handler.Requests.Select(r => r.Uri.AbsoluteUri));
    }

    [Fact]
    public async Task PagesExposeTheirContinuationTokenAndResumeFromIt()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.OK, """{"value":[{"PartitionKey":"p","RowKey":"1"}]}""",
                ("x-ms-continuation-NextPartitionKey", "cA=="), ("x-ms-continuation-NextRowKey", "Mg=="))
            .Then(HttpStatusCode.OK, """{"value":[{"PartitionKey":"p","RowKey":"2"}]}""");
        var table = Table(handler);

        string? token = null;
        await foreach (var page in table.QueryAsync().AsPages())
        {
            token = page.ContinuationToken;
            break;
        }
        var resumed = new List<Page<TableEntity>>();
        await foreach (var page in table.QueryAsync().AsPages(token, pageSizeHint: 5))
        {
            resumed.Add(page);
        }

        Assert.Equal("cA== Mg==", token);
        var last = Assert.Single(resumed);
        Assert.Null(last.ContinuationToken);
        Assert.Equal("2", Assert.Single(last.Values).RowKey);
        Assert.Equal($"{Endpoint}/mytable()?$top=5&NextPartitionKey=cA%3D%3D&NextRowKey=Mg%3D%3D", handler.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public void QueryRejectsAPageSizeOutsideTheServiceRange()
    {
        var table = Table(new StubHttpHandler());

        Assert.Throws<ArgumentOutOfRangeException>(() => table.QueryAsync(maxPerPage: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.QueryAsync(maxPerPage: 1001));
    }

    [Fact]
    public async Task ProductionEndpointWithTrailingSlashGetsNoDoubleSlashAndSignsTheAccountOnce()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var service = new ServerlessInnovation.Storage.Tables.TableServiceClient(
            new Uri("https://acct.table.core.windows.net/"),
            new ServerlessInnovation.Storage.StorageSharedKeyCredential("acct", TestKeys.AccountKey),
            handler.CreateOptions());

        await service.GetTableClient("mytable").DeleteEntityAsync("p", "r");

        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://acct.table.core.windows.net/mytable(PartitionKey='p',RowKey='r')", request.Uri.AbsoluteUri);
        var expected = TestKeys.Sign("DELETE\n\n\nSun, 22 Nov 2026 01:54:05 GMT\n/acct/mytable(PartitionKey='p',RowKey='r')");
        Assert.Equal($"SharedKey acct:{expected}", request.Header("Authorization"));
    }

    [Fact]
    public async Task SharedAccessSignatureIsAppendedToTheQueryInsteadOfAnAuthorizationHeader()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.ServiceUnavailable)
            .Then(HttpStatusCode.OK, """{"value":[]}""");
        var service = new ServerlessInnovation.Storage.Tables.TableServiceClient(
            new Uri("https://acct.table.core.windows.net"), new AzureSasCredential("?sv=2020-12-06&sig=abc%3D"), handler.CreateOptions());

        await foreach (var _ in service.GetTableClient("mytable").QueryAsync("A eq 1"))
        {
        }

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(
            "https://acct.table.core.windows.net/mytable()?$filter=A%20eq%201&sv=2020-12-06&sig=abc%3D", r.Uri.AbsoluteUri));
        Assert.All(handler.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public void EndpointWithAQueryIsRefused()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ServerlessInnovation.Storage.Tables.TableServiceClient(
            new Uri("https://acct.table.core.windows.net/?sv=1"), new AzureSasCredential("sv=1")));

        Assert.Equal("endpoint", exception.ParamName);
    }
}
