using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Storage;

namespace ServerlessInnovation.Functions.Pages;

/// <summary>
/// The startup page at <c>/</c> and the bureau pages at <c>/bureau/</c>: static files from <c>wwwroot</c> beside the
/// executable (no CDN, no build step), sent with a Content-Security-Policy that allows only this origin's scripts and
/// styles (no <c>unsafe-inline</c>), plus the storage account's blob endpoint for the bureau's direct uploads.
/// </summary>
/// <remarks>
/// Under the Functions host this is the function <c>Pages</c>: route <c>{*path}</c> (GET, HEAD, anonymous) with an
/// empty route prefix, so every path no API function claims is proxied here at its original path; the static file
/// middleware answers it (<c>GET /</c> is also the host's readiness probe), and anything else is a 404.
/// </remarks>
public static class PagesFunction
{
    public const string Name = "Pages";

    /// <summary>Where the pages live: beside the executable, as the deployment package and the build output lay them out.</summary>
    public static string WebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>
    /// What the pages are made of, compressed (Brotli, else gzip) for browsers that ask: about a third of the bytes on a
    /// phone's connection. Only the pages' own paths: API answers stay as they are, and nothing secret is in a page.
    /// </summary>
    public static readonly string[] CompressedTypes = ["text/html", "text/css", "text/javascript", "image/svg+xml"];

    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.MimeTypes = CompressedTypes;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        return services;
    }

    public static WebApplication UsePages(this WebApplication app)
    {
        // Only outside /api: the API's requests (the match path above all) pass by without the compression wrapper.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments(FunctionsHost.ApiPath), pages => pages.UseResponseCompression());
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<StorageConnection>().BlobEndpoint);
        var files = new PhysicalFileProvider(WebRoot);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidated on every load (ETag answers 304), so a deployment is seen at once without fingerprinted names.
                headers.CacheControl = "no-cache";
                if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    headers.ContentSecurityPolicy = policy;
                    headers.XFrameOptions = "DENY";
                }
            },
        });
        return app;
    }

    /// <summary>The page policy: nothing inline, nothing from elsewhere except uploads to (and reads from) the blob endpoint.</summary>
    public static string ContentSecurityPolicy(Uri? blobEndpoint)
    {
        var storage = blobEndpoint is null ? "" : " " + blobEndpoint.GetLeftPart(UriPartial.Authority);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; " +
               $"connect-src 'self'{storage}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; manifest-src 'self'";
    }
}
