using System.Net;
using Azure;
using Azure.Core.Pipeline;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>
/// Bearer tokens against a real emulator: the https Azurite with <c>--oauth basic</c>, trusted through the transport only,
/// and an identity that mints the unsigned JWT Azurite accepts.
/// </summary>
public sealed class EntraAuthenticationIntegrationTests
{
    private static readonly FakeEntraCredential Identity = new("6f1a2b3c-0000-4000-8000-00000000a11c", "72f988bf-86f1-41af-91ab-2d7cd011db47");

    private static async Task<(Azurite Azurite, BlobContainerClient Container)> NewContainerAsync()
    {
        var azurite = await Azurite.SharedWithEntra;
        var options = new BlobClientOptions { Transport = new HttpClientTransport(azurite.CreateHandler()) };
        var container = new BlobServiceClient(azurite.BlobEndpoint, Identity, options).GetBlobContainerClient(Azurite.UniqueName("c"));
        Assert.True(await container.CreateIfNotExistsAsync());
        return (azurite, container);
    }

    [Fact]
    public async Task BearerClientCreatesUploadsAndDownloadsABlob()
    {
        var (_, container) = await NewContainerAsync();
        var blob = container.GetBlobClient("entra/hello.txt");

        await blob.UploadAsync(BinaryData.FromString("hello from an identity"), new BlobUploadOptions { ContentType = "text/plain" });
        var downloaded = await blob.DownloadContentAsync();

        Assert.Equal("hello from an identity", downloaded.Value.Content.ToString());
        Assert.Equal("text/plain", downloaded.Value.Details.ContentType);
        Assert.StartsWith("https://127.0.0.1:", blob.Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserDelegationSasUploadsByPlainHttpAndCannotRead()
    {
        var (azurite, container) = await NewContainerAsync();
        var service = new BlobServiceClient(azurite.BlobEndpoint, Identity,
            new BlobClientOptions { Transport = new HttpClientTransport(azurite.CreateHandler()) });
        var blob = container.GetBlobClient("uploads/by browser.txt");

        var key = (await service.GetUserDelegationKeyAsync(startsOn: null, DateTimeOffset.UtcNow.AddHours(1))).Value;
        var sas = blob.GenerateUserDelegationSasUri(key, BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddMinutes(30));
        using var http = new HttpClient(azurite.CreateHandler());
        using var put = new HttpRequestMessage(HttpMethod.Put, sas) { Content = new StringContent("uploaded with a user delegation SAS") };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var uploaded = await http.SendAsync(put);
        using var read = await http.GetAsync(sas);

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("uploaded with a user delegation SAS", (await blob.DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal(Identity.ObjectId, key.SignedObjectId);
        Assert.Equal(Identity.TenantId, key.SignedTenantId);
        Assert.Equal("b", key.SignedService);
        Assert.Contains("skoid=" + Identity.ObjectId, sas.Query, StringComparison.Ordinal);
        Assert.Contains("spr=https&", sas.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueClientSendsReceivesAndDeletesWithABearerToken()
    {
        var azurite = await Azurite.SharedWithEntra;
        var options = new QueueClientOptions { Transport = new HttpClientTransport(azurite.CreateHandler()) };
        var queue = new QueueServiceClient(azurite.QueueEndpoint, Identity, options).GetQueueClient(Azurite.UniqueName("q").ToLowerInvariant());

        Assert.True(await queue.CreateIfNotExistsAsync());
        await queue.SendMessageAsync("""{"applicationId":"a-1"}""");
        var message = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);
        var deleted = await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        Assert.Equal("""{"applicationId":"a-1"}""", message.MessageText);
        Assert.Equal(204, deleted.Status);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task TableClientCreatesUpsertsAndReadsWithABearerToken()
    {
        var azurite = await Azurite.SharedWithEntra;
        var options = new TableClientOptions { Transport = new HttpClientTransport(azurite.CreateHandler()) };
        var service = new TableServiceClient(azurite.TableEndpoint, Identity, options);
        var name = Azurite.UniqueName("t");

        Assert.True(await service.CreateTableIfNotExistsAsync(name));
        var table = service.GetTableClient(name);
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Seats"] = 12 });
        var entity = (await table.GetEntityAsync("p", "r")).Value;

        Assert.Equal(12, entity.GetInt32("Seats"));
        Assert.StartsWith("https://127.0.0.1:", azurite.TableEndpoint.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains(["https://storage.azure.com/.default"], Identity.RequestedScopes);
    }

    [Fact]
    public async Task SharedKeyCannotAskForAUserDelegationKey()
    {
        var azurite = await Azurite.Shared;
        var service = new BlobServiceClient(azurite.BlobEndpoint,
            new ServerlessInnovation.Storage.StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => service.GetUserDelegationKeyAsync(null, DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Contains("TokenCredential", exception.Message, StringComparison.Ordinal);
    }
}
