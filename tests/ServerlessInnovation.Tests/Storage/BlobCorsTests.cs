using System.Net;
using System.Xml.Linq;
using Azure;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>The Blob service's CORS rules: on the wire (Get and Set Blob Service Properties), and in Azurite with a browser's preflight.</summary>
public sealed class BlobCorsTests
{
    private const string Endpoint = "http://127.0.0.1:10000/devstoreaccount1";

    private const string PropertiesWithCors =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><StorageServiceProperties>" +
        "<Logging><Version>1.0</Version><Read>false</Read><Write>false</Write><Delete>false</Delete><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></Logging>" +
        "<Cors><CorsRule><AllowedOrigins>https://a.example,https://b.example</AllowedOrigins><AllowedMethods>GET,PUT</AllowedMethods>" +
        "<MaxAgeInSeconds>600</MaxAgeInSeconds><ExposedHeaders>x-ms-*</ExposedHeaders><AllowedHeaders>x-ms-blob-type, content-type</AllowedHeaders></CorsRule></Cors>" +
        "<DefaultServiceVersion>2020-10-02</DefaultServiceVersion></StorageServiceProperties>";

    [Fact]
    public async Task GettingTheRulesReadsTheServicePropertiesCorsElement()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, PropertiesWithCors);

        var rules = (await BlobClientTransportTests.Service(handler).GetCorsRulesAsync()).Value;

        var request = Assert.Single(handler.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(Endpoint + "/?restype=service&comp=properties", request.Uri.AbsoluteUri);
        Assert.StartsWith("SharedKey devstoreaccount1:", request.Header("Authorization"), StringComparison.Ordinal);
        var rule = Assert.Single(rules);
        Assert.Equal(["https://a.example", "https://b.example"], rule.AllowedOrigins);
        Assert.Equal(["GET", "PUT"], rule.AllowedMethods);
        Assert.Equal(["x-ms-blob-type", "content-type"], rule.AllowedHeaders);
        Assert.Equal(["x-ms-*"], rule.ExposedHeaders);
        Assert.Equal(600, rule.MaxAgeInSeconds);
    }

    [Fact]
    public async Task NoCorsElementIsNoRules()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, "<?xml version=\"1.0\"?><StorageServiceProperties><Cors /></StorageServiceProperties>");

        Assert.Empty((await BlobClientTransportTests.Service(handler).GetCorsRulesAsync()).Value);
    }

    [Fact]
    public async Task SettingTheRulesSendsOnlyTheCorsElementSoOtherPropertiesStay()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Accepted);

        var response = await BlobClientTransportTests.Service(handler).SetCorsRulesAsync([BrowserUploadCors.Rule(["http://localhost:7071"])]);

        Assert.Equal(202, response.Status);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(Endpoint + "/?restype=service&comp=properties", request.Uri.AbsoluteUri);
        Assert.Equal("application/xml", request.Header("Content-Type"));
        var root = XDocument.Parse(request.Body!.TrimStart('\uFEFF')).Root!;
        Assert.Equal("StorageServiceProperties", root.Name.LocalName);
        Assert.Equal(["Cors"], root.Elements().Select(e => e.Name.LocalName));
        var rule = Assert.Single(root.Element("Cors")!.Elements("CorsRule"));
        Assert.Equal("http://localhost:7071", rule.Element("AllowedOrigins")!.Value);
        Assert.Equal("PUT,GET,HEAD,OPTIONS", rule.Element("AllowedMethods")!.Value);
        Assert.Equal("3600", rule.Element("MaxAgeInSeconds")!.Value);
        Assert.Contains("x-ms-blob-type", rule.Element("AllowedHeaders")!.Value.Split(','));
        Assert.Contains("x-ms-*", rule.Element("AllowedHeaders")!.Value.Split(','));
        Assert.Contains("content-type", rule.Element("AllowedHeaders")!.Value.Split(','));
        Assert.Contains("etag", rule.Element("ExposedHeaders")!.Value.Split(','));
    }

    [Fact]
    public async Task NoRulesClearsTheCorsElementAndTooManyOrEmptyRulesAreRefusedBeforeSending()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Accepted);
        var service = BlobClientTransportTests.Service(handler);

        await service.SetCorsRulesAsync([]);
        var sixRules = Enumerable.Range(0, 6).Select(i => BrowserUploadCors.Rule([$"https://{i}.example"])).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => service.SetCorsRulesAsync(sixRules));
        await Assert.ThrowsAsync<ArgumentException>(() => service.SetCorsRulesAsync([new BlobCorsRule { AllowedOrigins = [], AllowedMethods = ["GET"] }]));

        var cleared = Assert.Single(handler.Requests);
        Assert.Empty(XDocument.Parse(cleared.Body!.TrimStart('\uFEFF')).Root!.Element("Cors")!.Elements());
    }

    [Fact]
    public async Task ARefusalIsARequestFailedExceptionWithTheServicesCode()
    {
        var handler = new StubHttpHandler().Then(_ => StubHttpHandler.Response(HttpStatusCode.Forbidden,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>no</Message></Error>",
            ("x-ms-error-code", "AuthorizationPermissionMismatch")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => BlobClientTransportTests.Service(handler).SetCorsRulesAsync([]));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationPermissionMismatch", error.ErrorCode);
    }

    [Theory]
    [InlineData("http://localhost:7071", true)]
    [InlineData("https://bureau.example.gov.cn", true)]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:7071/", false)]
    [InlineData("http://localhost:7071/bureau", false)]
    [InlineData("http://localhost:7071?x=1", false)]
    [InlineData("ftp://localhost", false)]
    [InlineData("localhost:7071", false)]
    [InlineData("http://user@localhost", false)]
    [InlineData("*", false)]
    public void OnlyHttpOriginsWithoutAPathAreBrowserUploadOrigins(string origin, bool valid)
    {
        Assert.Equal(valid, BrowserUploadCors.IsOrigin(origin));
        var result = new DocumentOptionsValidator().Validate(null, new DocumentOptions { BrowserUploadOrigins = [origin] });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Documents:BrowserUploadOrigins", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// On an emulator of its own (the rules are the account's, and the shared emulator's account serves every test): the
    /// rule is added beside what is there, written once, and lets a browser's preflight for an upload through.
    /// </summary>
    [Fact]
    public async Task AzuriteKeepsTheRuleBesideOthersAndAnswersTheBrowsersPreflightForAnUpload()
    {
        var folder = Directory.CreateTempSubdirectory("azurite-cors-");
        var azurite = await Azurite.StartDedicatedAsync(folder.FullName);
        try
        {
            var service = new BlobServiceClient(azurite.BlobEndpoint, new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey));
            var other = new BlobCorsRule { AllowedOrigins = ["https://other.example"], AllowedMethods = ["GET"], MaxAgeInSeconds = 60 };
            await service.SetCorsRulesAsync([other]);
            const string Origin = "http://127.0.0.1:7071";

            await BrowserUploadCors.EnsureAsync(service, [Origin], CancellationToken.None);
            await BrowserUploadCors.EnsureAsync(service, [Origin], CancellationToken.None);

            var rules = (await service.GetCorsRulesAsync()).Value;
            Assert.Equal(2, rules.Count);
            Assert.True(rules[0].AllowsSameAs(other));
            Assert.True(rules[1].AllowsSameAs(BrowserUploadCors.Rule([Origin])));

            using var http = new HttpClient();
            var blobUrl = new Uri(azurite.BlobEndpoint + "/documents/xihu/some-id/source?sv=2025-01-05&sp=c&sig=x");
            using var preflight = new HttpRequestMessage(HttpMethod.Options, blobUrl);
            preflight.Headers.Add("Origin", Origin);
            preflight.Headers.Add("Access-Control-Request-Method", "PUT");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-ms-blob-type");
            using var allowed = await http.SendAsync(preflight);

            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(Origin, string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.Contains("PUT", string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
            Assert.Contains("x-ms-blob-type", string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.Ordinal);

            using var elsewhere = new HttpRequestMessage(HttpMethod.Options, blobUrl);
            elsewhere.Headers.Add("Origin", "http://evil.example");
            elsewhere.Headers.Add("Access-Control-Request-Method", "PUT");
            using var refused = await http.SendAsync(elsewhere);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        }
        finally
        {
            azurite.Kill();
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Azurite may still be writing as it dies; the temporary folder goes with the machine's cleanup.
            }
        }
    }
}
