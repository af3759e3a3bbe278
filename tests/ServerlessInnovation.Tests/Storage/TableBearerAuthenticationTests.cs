using System.Net;
using Azure.Core;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Tests.Storage;

public sealed class TableBearerAuthenticationTests
{
    [Fact]
    public async Task BearerTokenForTheStorageScopeIsSentOverHttps()
    {
        var (handler, credential, table) = TableWithToken("https://acct.table.core.windows.net");

        await table.UpsertEntityAsync(new TableEntity("p", "r"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-123", request.Header("Authorization"));
        Assert.Equal("2020-12-06", request.Header("x-ms-version"));
        Assert.Equal(["https://storage.azure.com/.default"], Assert.Single(credential.RequestedScopes));
    }

    [Fact]
    public async Task BearerTokenIsRefusedOverPlainHttp()
    {
        var (handler, credential, table) = TableWithToken("http://127.0.0.1:10002/devstoreaccount1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => table.UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Empty(handler.Requests);
        Assert.Empty(credential.RequestedScopes);
    }

    private static (StubHttpHandler Handler, FakeTokenCredential Credential, TableClient Table) TableWithToken(string endpoint)
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var credential = new FakeTokenCredential("token-123");
        var table = new TableServiceClient(new Uri(endpoint), credential, handler.CreateOptions()).GetTableClient("mytable");
        return (handler, credential, table);
    }

    private sealed class FakeTokenCredential(string token) : TokenCredential
    {
        public List<string[]> RequestedScopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            RequestedScopes.Add(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
