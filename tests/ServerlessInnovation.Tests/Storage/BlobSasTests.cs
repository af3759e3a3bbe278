using System.Security.Cryptography;
using System.Text;
using Azure;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>
/// Blob SAS for <c>sv</c> 2025-11-05. The expected strings-to-sign are written out field by field from the reference's
/// formulas: 16 lines for a service SAS, 26 for a user delegation SAS (<c>skdutid</c> and <c>sduoid</c> after <c>scid</c>).
/// </summary>
public sealed class BlobSasTests
{
    // 2026-11-22T02:55:16Z: the instant of the reference's verified upload SAS.
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 22, 2, 55, 16, TimeSpan.Zero));

    private static BlobClient Blob(string endpoint, string name, string account = TestKeys.AccountName) =>
        new BlobServiceClient(new Uri(endpoint), new StorageSharedKeyCredential(account, TestKeys.AccountKey),
                new StubHttpHandler().CreateOptions<BlobClientOptions>(Clock))
            .GetBlobContainerClient("uploads").GetBlobClient(name);

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]));

    [Fact]
    public void TheServiceStringToSignMatchesTheVerifiedUploadSample()
    {
        // The reference's sample: no start, no protocol, sp=cw, sr=b.
        var fields = new SasFields("cw", "", "2026-11-22T02:55:16Z", "/blob/devstoreaccount1/probe1795312516628/sas/upload.txt", "", "b");

        Assert.Equal(
            "cw\n\n2026-11-22T02:55:16Z\n/blob/devstoreaccount1/probe1795312516628/sas/upload.txt\n\n\n\n2025-11-05\nb\n\n\n\n\n\n\n",
            BlobSas.ServiceStringToSign(fields));
    }

    [Fact]
    public void AServiceSasForAnEmulatorBlobSignsSixteenLinesAndAllowsHttp()
    {
        var uri = Blob("http://127.0.0.1:10000/devstoreaccount1", "sas/upload file.txt")
            .GenerateSasUri(BlobSasPermissions.Create | BlobSasPermissions.Write, Clock.Now.AddHours(1));

        var stringToSign = string.Join('\n',
            "cw",                                                        // sp
            "2026-11-22T02:50:16Z",                                      // st: five minutes back
            "2026-11-22T03:55:16Z",                                      // se
            "/blob/devstoreaccount1/uploads/sas/upload file.txt",        // canonicalized resource: account once, name decoded
            "",                                                          // si
            "",                                                          // sip
            "https,http",                                                // spr
            "2025-11-05",                                                // sv
            "b",                                                         // sr
            "", "", "", "", "", "", "");                                 // snapshot, ses, rscc, rscd, rsce, rscl, rsct
        Assert.Equal(16, stringToSign.Split('\n').Length);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/uploads/sas/upload%20file.txt", uri.GetLeftPart(UriPartial.Path));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["sv"] = "2025-11-05", ["spr"] = "https,http", ["st"] = "2026-11-22T02:50:16Z", ["se"] = "2026-11-22T03:55:16Z",
                ["sr"] = "b", ["sp"] = "cw", ["sig"] = TestKeys.Sign(stringToSign),
            },
            Query(uri));
        Assert.StartsWith("sv=2025-11-05&spr=https%2Chttp&st=2026-11-22T02%3A50%3A16Z&", uri.Query.TrimStart('?'), StringComparison.Ordinal);
    }

    [Fact]
    public void AServiceSasForAnHttpsEndpointIsHttpsOnlyAndSignsTheCredentialsAccount()
    {
        var uri = Blob("https://acct.blob.core.windows.net/", "年报.pdf", account: "acct")
            .GenerateSasUri(BlobSasPermissions.Read, Clock.Now.AddMinutes(30));

        var stringToSign = "r\n2026-11-22T02:50:16Z\n2026-11-22T03:25:16Z\n/blob/acct/uploads/年报.pdf\n\n\nhttps\n2025-11-05\nb\n\n\n\n\n\n\n";
        Assert.Equal("https", Query(uri)["spr"]);
        Assert.Equal(TestKeys.Sign(stringToSign), Query(uri)["sig"]);
        Assert.Equal("https://acct.blob.core.windows.net/uploads/%E5%B9%B4%E6%8A%A5.pdf", uri.GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public void AUserDelegationSasSignsTwentySixLinesWithTheKey()
    {
        var secret = Encoding.UTF8.GetBytes("user-delegation-key-bytes-000001");
        var key = new UserDelegationKey
        {
            SignedObjectId = "6f1a2b3c-0000-4000-8000-00000000a11c",
            SignedTenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            SignedStartsOn = new DateTimeOffset(2026, 11, 22, 2, 50, 0, TimeSpan.Zero),
            SignedExpiresOn = new DateTimeOffset(2026, 11, 23, 2, 50, 0, TimeSpan.Zero),
            SignedService = "b",
            SignedVersion = "2025-11-05",
            Value = Convert.ToBase64String(secret),
        };
        var service = new BlobServiceClient(new Uri("https://127.0.0.1:10000/devstoreaccount1"), new FakeEntraCredential("o", "t"),
            new StubHttpHandler().CreateOptions<BlobClientOptions>(Clock));
        var blob = service.GetBlobContainerClient("uploads").GetBlobClient("by browser.txt");

        var uri = blob.GenerateUserDelegationSasUri(key, BlobSasPermissions.Create | BlobSasPermissions.Write, Clock.Now.AddHours(2));

        var stringToSign = string.Join('\n',
            "cw",                                                        // sp
            "2026-11-22T02:50:16Z",                                      // st
            "2026-11-22T04:55:16Z",                                      // se
            "/blob/devstoreaccount1/uploads/by browser.txt",             // canonicalized resource
            "6f1a2b3c-0000-4000-8000-00000000a11c",                      // skoid
            "72f988bf-86f1-41af-91ab-2d7cd011db47",                      // sktid
            "2026-11-22T02:50:00Z",                                      // skt
            "2026-11-23T02:50:00Z",                                      // ske
            "b",                                                         // sks
            "2025-11-05",                                                // skv
            "", "", "",                                                  // saoid, suoid, scid
            "", "",                                                      // skdutid, sduoid (since 2025-07-05)
            "",                                                          // sip
            "https",                                                     // spr
            "2025-11-05",                                                // sv
            "b",                                                         // sr
            "", "", "", "", "", "", "");                                 // snapshot, ses, rscc, rscd, rsce, rscl, rsct
        Assert.Equal(26, stringToSign.Split('\n').Length);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["sv"] = "2025-11-05", ["spr"] = "https", ["st"] = "2026-11-22T02:50:16Z", ["se"] = "2026-11-22T04:55:16Z",
                ["skoid"] = key.SignedObjectId, ["sktid"] = key.SignedTenantId, ["skt"] = "2026-11-22T02:50:00Z", ["ske"] = "2026-11-23T02:50:00Z",
                ["sks"] = "b", ["skv"] = "2025-11-05", ["sr"] = "b", ["sp"] = "cw",
                ["sig"] = Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(stringToSign))),
            },
            Query(uri));
    }

    [Theory]
    [InlineData(BlobSasPermissions.All, "racwd")]
    [InlineData(BlobSasPermissions.Write | BlobSasPermissions.Read, "rw")]
    [InlineData(BlobSasPermissions.Delete | BlobSasPermissions.Create, "cd")]
    [InlineData(BlobSasPermissions.Add, "a")]
    public void PermissionsAreWrittenInCanonicalOrder(BlobSasPermissions permissions, string letters)
    {
        var uri = Blob("http://127.0.0.1:10000/devstoreaccount1", "x").GenerateSasUri(permissions, Clock.Now.AddHours(1));

        Assert.Equal(letters, Query(uri)["sp"]);
    }

    [Fact]
    public void ASasNeedsAPermissionAndAFutureExpiry()
    {
        var blob = Blob("http://127.0.0.1:10000/devstoreaccount1", "x");

        Assert.Throws<ArgumentOutOfRangeException>(() => blob.GenerateSasUri(0, Clock.Now.AddHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => blob.GenerateSasUri((BlobSasPermissions)64, Clock.Now.AddHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => blob.GenerateSasUri(BlobSasPermissions.Read, Clock.Now));
        Assert.True(blob.CanGenerateSasUri);
    }

    [Fact]
    public void AServiceSasNeedsTheAccountKey()
    {
        var viaToken = new BlobServiceClient(new Uri("https://acct.blob.core.windows.net"), new FakeEntraCredential("o", "t"))
            .GetBlobContainerClient("uploads").GetBlobClient("x");
        var viaSas = new BlobServiceClient(new Uri("https://acct.blob.core.windows.net"), new AzureSasCredential("sv=1&sig=x"))
            .GetBlobContainerClient("uploads").GetBlobClient("x");

        var exception = Assert.Throws<InvalidOperationException>(() => viaToken.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Throws<InvalidOperationException>(() => viaSas.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Contains("StorageSharedKeyCredential", exception.Message, StringComparison.Ordinal);
        Assert.False(viaToken.CanGenerateSasUri);
    }

    [Fact]
    public void AUserDelegationSasCannotOutliveItsKey()
    {
        var key = new UserDelegationKey
        {
            SignedObjectId = "o", SignedTenantId = "t", SignedService = "b", SignedVersion = "2025-11-05", Value = "a2V5",
            SignedStartsOn = Clock.Now.AddMinutes(-5), SignedExpiresOn = Clock.Now.AddHours(1),
        };
        var blob = Blob("https://acct.blob.core.windows.net", "x", account: "acct");

        Assert.Throws<ArgumentOutOfRangeException>(() => blob.GenerateUserDelegationSasUri(key, BlobSasPermissions.Read, Clock.Now.AddHours(1).AddSeconds(1)));
        blob.GenerateUserDelegationSasUri(key, BlobSasPermissions.Read, Clock.Now.AddHours(1));
        Assert.Throws<ArgumentException>(() => blob.GenerateUserDelegationSasUri(new UserDelegationKey
        {
            SignedObjectId = "o", SignedTenantId = "t", SignedService = "b", SignedVersion = "2025-11-05", Value = "not base64!",
            SignedStartsOn = key.SignedStartsOn, SignedExpiresOn = key.SignedExpiresOn,
        }, BlobSasPermissions.Read, Clock.Now.AddMinutes(1)));
    }
}
