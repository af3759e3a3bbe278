using Azure.Core.Pipeline;
using ServerlessInnovation.Storage.Blobs;
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
}
