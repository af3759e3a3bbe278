using System.Net;
using ServerlessInnovation.Storage.Blobs;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>Container names, blob names and metadata are checked before anything is sent.</summary>
public sealed class BlobNamingTests
{
    private static BlobServiceClient Service(StubHttpHandler handler) => BlobClientTransportTests.Service(handler);

    [Theory]
    [InlineData("abc")]
    [InlineData("a-b-c")]
    [InlineData("2026-reports")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0")]
    public void ValidContainerNamesAreAccepted(string name)
    {
        Assert.Equal(name, Service(new StubHttpHandler()).GetBlobContainerClient(name).Name);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01")]
    [InlineData("Reports")]
    [InlineData("a--b")]
    [InlineData("-ab")]
    [InlineData("ab-")]
    [InlineData("a_b")]
    [InlineData("a.b")]
    [InlineData("")]
    public void InvalidContainerNamesAreRefused(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => Service(new StubHttpHandler()).GetBlobContainerClient(name));

        Assert.Equal("blobContainerName", exception.ParamName);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("dir/a b.txt")]
    [InlineData("申请/2026/材料.pdf")]
    [InlineData("a/.hidden")]
    [InlineData("emoji-😀.png")]
    [InlineData("a//b")]
    public void ValidBlobNamesAreAccepted(string name)
    {
        var blob = Service(new StubHttpHandler()).GetBlobContainerClient("c01").GetBlobClient(name);

        Assert.Equal(name, blob.Name);
        Assert.Equal(name, Uri.UnescapeDataString(blob.Uri.AbsolutePath["/devstoreaccount1/c01/".Length..]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("dir/")]
    [InlineData("dir\\")]
    [InlineData("file.")]
    [InlineData("dir./file")]
    [InlineData("a/./b")]
    [InlineData("a/../b")]
    [InlineData("line\nbreak")]
    [InlineData("nul\0")]
    [InlineData("c1\u0085control")]
    public void InvalidBlobNamesAreRefused(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => Service(new StubHttpHandler()).GetBlobContainerClient("c01").GetBlobClient(name));

        Assert.Equal("blobName", exception.ParamName);
    }

    [Fact]
    public void ABlobNameWithALoneSurrogateIsRefusedButAPairIsNot()
    {
        // Attribute data cannot carry a lone surrogate (it is stored as UTF-8), so this one is built at run time.
        var container = Service(new StubHttpHandler()).GetBlobContainerClient("c01");

        Assert.Throws<ArgumentException>(() => container.GetBlobClient("lone" + '\ud800' + "surrogate"));
        Assert.Throws<ArgumentException>(() => container.GetBlobClient("reversed" + '\udc00' + '\ud800'));
        Assert.Equal("pair\ud83d\ude00", container.GetBlobClient("pair\ud83d\ude00").Name);
    }

    [Fact]
    public void BlobNamesHaveAtMost1024CharactersIn254Segments()
    {
        var container = Service(new StubHttpHandler()).GetBlobContainerClient("c01");

        container.GetBlobClient(new string('x', 1024));
        container.GetBlobClient(string.Join('/', Enumerable.Repeat("s", 254)));
        Assert.Throws<ArgumentException>(() => container.GetBlobClient(new string('x', 1025)));
        Assert.Throws<ArgumentException>(() => container.GetBlobClient(string.Join('/', Enumerable.Repeat("s", 255))));
    }

    [Theory]
    [InlineData("Owner", "x")]
    [InlineData("1abc", "x")]
    [InlineData("a-b", "x")]
    [InlineData("a_b", "x")]
    [InlineData("", "x")]
    [InlineData("owner", "café")]
    [InlineData("owner", "two\nlines")]
    [InlineData("owner", "tab\there")]
    public async Task InvalidMetadataIsRefusedBeforeSending(string name, string value)
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created);
        var blob = Service(handler).GetBlobContainerClient("c01").GetBlobClient("b");
        var metadata = new Dictionary<string, string> { [name] = value };

        await Assert.ThrowsAsync<ArgumentException>(() => blob.UploadAsync(new byte[1], new BlobUploadOptions { Metadata = metadata }));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.SetMetadataAsync(metadata));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task MetadataOfMoreThan8KiBIsRefused()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK);
        var blob = Service(handler).GetBlobContainerClient("c01").GetBlobClient("b");

        await blob.SetMetadataAsync(new Dictionary<string, string> { ["a"] = new string('v', 8191) });
        var exception = await Assert.ThrowsAsync<ArgumentException>(
            () => blob.SetMetadataAsync(new Dictionary<string, string> { ["a"] = new string('v', 8191), ["b"] = "v" }));

        Assert.Contains("8192", exception.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }
}
