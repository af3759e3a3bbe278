using System.Net;
using Azure.Identity;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

public sealed class StorageConnectionTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // A made-up key, distinct from the emulator's, so that "never in the message" is checked against a value nobody else prints.
    private const string SecretKey = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg5YWJjZGVmZ2hpams=";

    private const string Sas = "sv=2020-12-06&ss=t&srt=sco&sp=rwdlacu&se=2030-01-01T00:00:00Z&sig=c2lnbmF0dXJl%3D";

    [Fact]
    public void AccountKeyWithDefaultsGeneratesHttpsEndpointsOnCoreWindowsNet()
    {
        var connection = StorageConnection.Parse($"AccountName=acct;AccountKey={Key}");

        Assert.Equal("acct", connection.AccountName);
        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal("acct", connection.SharedKeyCredential?.AccountName);
        Assert.Null(connection.TokenCredential);
        Assert.Null(connection.SasToken);
    }

    [Fact]
    public void ProtocolAndEndpointSuffixShapeTheAutomaticEndpoints()
    {
        var connection = StorageConnection.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn;");

        Assert.Equal(new Uri("http://acct.table.core.chinacloudapi.cn"), connection.TableEndpoint);
        Assert.Equal(new Uri("http://acct.blob.core.chinacloudapi.cn"), connection.BlobEndpoint);
    }

    [Fact]
    public void ExplicitEndpointsWinAndTheRestAreStillGenerated()
    {
        var connection = StorageConnection.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
            "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal(new Uri("http://devstoreaccount1.blob.core.windows.net"), connection.BlobEndpoint);
    }

    [Fact]
    public void AzuriteReadmeConnectionStringParsesWithAllThreeEndpoints()
    {
        var connection = StorageConnection.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
            "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
            "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
    }

    [Fact]
    public void NamesAreCaseInsensitiveAndValuesKeepTheirEqualsSigns()
    {
        var connection = StorageConnection.Parse($"accountname=acct;ACCOUNTKEY={Key}; ;;");

        Assert.Equal("acct", connection.AccountName);
        Assert.NotNull(connection.SharedKeyCredential);
    }

    [Fact]
    public void DevelopmentStorageExpandsToTheEmulatorAccount()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal("devstoreaccount1", connection.SharedKeyCredential?.AccountName);
    }

    [Fact]
    public void DevelopmentStorageProxyReplacesSchemeAndHostButKeepsThePorts()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=https://azurite.local");

        Assert.Equal(new Uri("https://azurite.local:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://azurite.local:10000/devstoreaccount1"), connection.BlobEndpoint);
    }

    [Fact]
    public void SharedAccessSignatureIsKeptApartFromTheEndpoints()
    {
        var connection = StorageConnection.Parse($"TableEndpoint=https://acct.table.core.windows.net/;SharedAccessSignature=?{Sas}");

        Assert.Equal(Sas, connection.SasToken);
        Assert.Equal(new Uri("https://acct.table.core.windows.net/"), connection.TableEndpoint);
        Assert.Null(connection.BlobEndpoint);
        Assert.Null(connection.AccountName);
        Assert.Null(connection.SharedKeyCredential);
    }

    [Fact]
    public void SharedAccessSignatureWithAccountNameGetsAutomaticEndpoints()
    {
        var connection = StorageConnection.Parse($"AccountName=acct;SharedAccessSignature={Sas}");

        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(Sas, connection.SasToken);
    }

    [Theory]
    [InlineData("AccountName=acct", "no credentials")]
    [InlineData("AccountKey=" + Key, "AccountKey requires AccountName")]
    [InlineData("SharedAccessSignature=sv=1", "defines no endpoint")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";SharedAccessSignature=sv=1", "not both")]
    [InlineData("AccountName=acct;AccountName=other;AccountKey=" + Key, "AccountName appears more than once")]
    [InlineData("AccountName=acct;accountname=acct;AccountKey=" + Key, "AccountName appears more than once")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";Colour=blue", "unknown setting name 'Colour'")]
    [InlineData("AccountName=acct;AccountKey", "segment 2 is not of the form Name=Value")]
    [InlineData("AccountName=;AccountKey=" + Key, "AccountName has no value")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";DefaultEndpointsProtocol=ftp", "'http' or 'https'")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";EndpointSuffix=not a host", "EndpointSuffix must be a DNS name")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";TableEndpoint=/relative", "TableEndpoint must be an absolute http or https URI")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";TableSecondaryEndpoint=https://x", "TableSecondaryEndpoint requires TableEndpoint")]
    [InlineData("UseDevelopmentStorage=false", "must be 'true'")]
    [InlineData("UseDevelopmentStorage=true;AccountName=acct", "cannot be combined with AccountName")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";DevelopmentStorageProxyUri=http://x", "only valid together with UseDevelopmentStorage")]
    public void MalformedConnectionStringsFailWithAClearMessage(string connectionString, string expected)
    {
        var exception = Assert.Throws<FormatException>(() => StorageConnection.Parse(connectionString));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidBase64KeyIsReportedWithoutTheKey()
    {
        const string NotBase64 = "not*base64*secret";

        var exception = Assert.Throws<FormatException>(() => StorageConnection.Parse($"AccountName=acct;AccountKey={NotBase64}"));

        Assert.Equal("AccountKey is not valid base64.", exception.Message);
    }

    [Theory]
    [InlineData("AccountName=acct;" + SecretKey)]
    [InlineData("AccountName=acct;AccountKey=" + SecretKey + ";AccountKey=" + SecretKey)]
    [InlineData("AccountName=acct;AccountKey=" + SecretKey + ";SharedAccessSignature=" + SecretKey)]
    [InlineData("AccountName=acct;AccountKey=" + SecretKey + ";Bogus")]
    [InlineData("AccountKey=" + SecretKey)]
    [InlineData("UseDevelopmentStorage=true;AccountKey=" + SecretKey)]
    public void ErrorMessagesNeverContainTheKey(string connectionString)
    {
        var exception = Assert.Throws<FormatException>(() => StorageConnection.Parse(connectionString));

        Assert.DoesNotContain(SecretKey.TrimEnd('='), exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void EmptyConnectionStringIsAnArgumentError(string? connectionString)
    {
        Assert.ThrowsAny<ArgumentException>(() => StorageConnection.Parse(connectionString!));
    }

    [Fact]
    public void SharedKeyCredentialRejectsAKeyThatIsNotBase64WithoutEchoingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => new StorageSharedKeyCredential("acct", "secret!value"));

        Assert.DoesNotContain("secret!value", exception.Message, StringComparison.Ordinal);
        Assert.Equal("accountKey", exception.ParamName);
    }

    [Fact]
    public void SettingWithAConnectionStringIsParsedAsOne()
    {
        var connection = FromSettings("AzureWebJobsStorage",
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("AzureWebJobsStorage__accountName", "ignored"));

        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.NotNull(connection.SharedKeyCredential);
        Assert.Null(connection.TokenCredential);
    }

    [Fact]
    public void AccountNameSettingGivesIdentityBasedHttpsEndpoints()
    {
        var connection = FromSettings("AzureWebJobsStorage",
            ("AzureWebJobsStorage", ""),
            ("AzureWebJobsStorage__accountName", "prodacct"));

        Assert.Equal("prodacct", connection.AccountName);
        Assert.Equal(new Uri("https://prodacct.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://prodacct.blob.core.windows.net"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://prodacct.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.IsType<DefaultAzureCredential>(connection.TokenCredential);
        Assert.Null(connection.SharedKeyCredential);
        Assert.Null(connection.SasToken);
    }

    [Fact]
    public void ServiceUriSettingsOverrideAndStandAlone()
    {
        var connection = FromSettings("Storage",
            ("Storage__tableServiceUri", "https://tables.example.net/"),
            ("Storage__serviceUri", "https://blobs.example.net/"));

        Assert.Null(connection.AccountName);
        Assert.Equal(new Uri("https://tables.example.net/"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://blobs.example.net/"), connection.BlobEndpoint);
        Assert.Null(connection.QueueEndpoint);
    }

    [Fact]
    public void BlobServiceUriTakesPrecedenceOverServiceUri()
    {
        var connection = FromSettings("Storage",
            ("Storage__blobServiceUri", "https://first.example.net/"),
            ("Storage__serviceUri", "https://second.example.net/"),
            ("Storage__accountName", "acct"));

        Assert.Equal(new Uri("https://first.example.net/"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableEndpoint);
    }

    [Theory]
    [InlineData("managedidentity", null)]
    [InlineData("ManagedIdentity", "6f2d3c1a-0000-4000-8000-000000000001")]
    public void ManagedIdentityCredentialSettingSelectsManagedIdentity(string credential, string? clientId)
    {
        var connection = FromSettings("Storage",
            ("Storage__accountName", "acct"),
            ("Storage__credential", credential),
            ("Storage__clientId", clientId));

        Assert.IsType<ManagedIdentityCredential>(connection.TokenCredential);
    }

    [Fact]
    public void UnknownCredentialSettingIsRejected()
    {
        var exception = Assert.Throws<InvalidOperationException>(
            () => FromSettings("Storage", ("Storage__accountName", "acct"), ("Storage__credential", "password")));

        Assert.Contains("'Storage__credential' must be 'managedidentity'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSettingsNameWhatToSet()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => FromSettings("Storage"));

        Assert.Contains("'Storage__accountName'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("set 'Storage' to a connection string", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedServiceUriSettingNamesTheSetting()
    {
        var exception = Assert.Throws<FormatException>(() => FromSettings("Storage", ("Storage__tableServiceUri", "tables.example.net")));

        Assert.Equal("Storage__tableServiceUri must be an absolute http or https URI.", exception.Message);
    }

    [Fact]
    public async Task AccountKeyConnectionGivesASharedKeyTableClient()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var connection = StorageConnection.Parse($"AccountName=acct;AccountKey={Key}");

        var service = connection.GetTableServiceClient(handler.CreateOptions());
        await service.CreateTableIfNotExistsAsync("mytable");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), service.Uri);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://acct.table.core.windows.net/Tables", request.Uri.AbsoluteUri);
        Assert.StartsWith("SharedKey acct:", request.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SasConnectionGivesATableClientThatAppendsTheSignature()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NoContent);
        var connection = StorageConnection.Parse($"TableEndpoint=https://acct.table.core.windows.net;SharedAccessSignature={Sas}");

        await connection.GetTableServiceClient(handler.CreateOptions()).CreateTableIfNotExistsAsync("mytable");

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"https://acct.table.core.windows.net/Tables?{Sas}", request.Uri.AbsoluteUri);
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public void IdentityConnectionGivesATableClientForItsEndpoint()
    {
        var service = FromSettings("Storage", ("Storage__accountName", "acct")).GetTableServiceClient();

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), service.Uri);
    }

    [Fact]
    public void ConnectionWithoutATableEndpointCannotMakeATableClient()
    {
        var connection = StorageConnection.Parse($"BlobEndpoint=https://blobs.example.net;SharedAccessSignature={Sas}");

        var exception = Assert.Throws<InvalidOperationException>(() => connection.GetTableServiceClient());

        Assert.Contains("no table endpoint", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachCredentialKindGivesABlobClientThatAuthorizesWithIt()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created);
        var sharedKey = StorageConnection.Parse($"AccountName=acct;AccountKey={Key}").GetBlobServiceClient(handler.CreateOptions<BlobClientOptions>());
        var sas = StorageConnection.Parse($"BlobEndpoint=https://blobs.example.net/acct;SharedAccessSignature={Sas}")
            .GetBlobServiceClient(handler.CreateOptions<BlobClientOptions>());
        var identity = FromSettings("Storage", ("Storage__blobServiceUri", "https://acct.blob.core.windows.net")).GetBlobServiceClient();

        await sharedKey.GetBlobContainerClient("docs").CreateIfNotExistsAsync();
        await sas.GetBlobContainerClient("docs").CreateIfNotExistsAsync();

        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), sharedKey.Uri);
        Assert.StartsWith("SharedKey acct:", handler.Requests[0].Header("Authorization"), StringComparison.Ordinal);
        Assert.True(sharedKey.GetBlobContainerClient("docs").GetBlobClient("x").CanGenerateSasUri);
        Assert.Equal($"https://blobs.example.net/acct/docs?restype=container&{Sas}", handler.Requests[1].Uri.AbsoluteUri);
        Assert.Null(handler.Requests[1].Header("Authorization"));
        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), identity.Uri);
        Assert.Equal("acct", identity.AccountName);
        Assert.False(identity.GetBlobContainerClient("docs").GetBlobClient("x").CanGenerateSasUri);
    }

    [Fact]
    public void ConnectionWithoutABlobEndpointCannotMakeABlobClient()
    {
        var connection = StorageConnection.Parse($"TableEndpoint=https://tables.example.net;SharedAccessSignature={Sas}");

        var exception = Assert.Throws<InvalidOperationException>(() => connection.GetBlobServiceClient());

        Assert.Contains("no blob endpoint", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzuriteConnectionStringReachesTheEmulatorsBlobService()
    {
        var azurite = await Azurite.Shared;
        var container = StorageConnection.Parse(azurite.ConnectionString).GetBlobServiceClient().GetBlobContainerClient(Azurite.UniqueName("c"));

        Assert.True(await container.CreateIfNotExistsAsync());
        Assert.False(await container.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task AzuriteConnectionStringReachesTheEmulator()
    {
        var azurite = await Azurite.Shared;
        var service = StorageConnection.Parse(azurite.ConnectionString).GetTableServiceClient();
        var name = Azurite.UniqueName("t");

        Assert.True(await service.CreateTableIfNotExistsAsync(name));
        Assert.False(await service.CreateTableIfNotExistsAsync(name));
    }

    private static StorageConnection FromSettings(string name, params (string Name, string? Value)[] settings)
    {
        var values = settings.ToDictionary(setting => setting.Name, setting => setting.Value);
        return StorageConnection.FromSettings(name, values.GetValueOrDefault);
    }
}
