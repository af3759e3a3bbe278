using System.Net;
using ServerlessInnovation.Functions.Pages;

namespace ServerlessInnovation.Tests.Pages;

/// <summary>The pages as the server sends them: where, with which headers.</summary>
public sealed class PageServingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/bureau/")]
    public async Task PagesAreHtmlWithAPolicyThatAllowsNothingInline(string path)
    {
        using var response = await app.App.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(PagesFunction.ContentSecurityPolicy(app.Storage.BlobEndpoint), policy);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' http://127.0.0.1:" + app.Storage.BlobPort + ";", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(',', response.Headers.GetValues("X-Frame-Options")));
    }

    [Theory]
    [InlineData("/", "br")]
    [InlineData("/assets/startup.js", "br")]
    [InlineData("/assets/site.css", "gzip")]
    public async Task PagesAreCompressedForBrowsersThatAskAndDecompressToTheFile(string path, string encoding)
    {
        using var plain = await app.App.Client.GetAsync(new Uri(path, UriKind.Relative));
        var expected = await plain.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd(encoding);

        using var response = await app.App.Client.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.True(compressed.Length < expected.Length / 2, $"{path}: {compressed.Length} of {expected.Length} bytes");
        using var decoded = new MemoryStream();
        await using (Stream decompress = encoding == "br"
                         ? new System.IO.Compression.BrotliStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress)
                         : new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress))
        {
            await decompress.CopyToAsync(decoded);
        }
        Assert.Equal(expected, decoded.ToArray());
    }

    [Fact]
    public async Task ApiAnswersAreNotCompressed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/carriers?pageSize=50");
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using var response = await app.App.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task UnknownPathsAndTheApiAreNotServedAsPages()
    {
        using var missing = await app.App.Client.GetAsync(new Uri("/no-such-page.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var traversal = await app.App.Client.GetAsync(new Uri("/assets/..%2F..%2Fappsettings.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);

        // Neither the app's own files beside the pages nor precompressed copies of the pages are served.
        foreach (var path in new[] { "/appsettings.json", "/host.json", "/ServerlessInnovation.Functions.dll", "/index.html.gz", "/assets/startup.js.br" })
        {
            using var response = await app.App.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var health = await app.App.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal("application/json", health.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BothPagesLoadInChromiumWithoutErrors()
    {
        await using var startup = await app.OpenAsync("/");
        await startup.Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.Load);
        Assert.Equal("zh-CN", await startup.Page.GetAttributeAsync("html", "lang"));
        startup.AssertNoErrors();

        await using var bureau = await app.OpenAsync("/bureau/");
        await bureau.Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.Load);
        bureau.AssertNoErrors();
    }
}
