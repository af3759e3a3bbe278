using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.Health;

public sealed record CatalogHealth(long Version, int Carriers, DateOnly TiersAsOf, DateTimeOffset LoadedAt);

/// <summary>Healthy once the catalog is loaded; the mode says whether a Functions host runs this process.</summary>
public sealed record HealthReport(string Status, string Mode, CatalogHealth? Catalog);

/// <summary><c>GET /api/health</c>: 200 when the service can match, 503 while the catalog is not loaded yet.</summary>
public static class HealthFunction
{
    public const string Name = "Health";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder api)
    {
        api.MapGet("/health", Handle).WithName(Name);
        return api;
    }

    private static JsonHttpResult<HealthReport> Handle(HttpResponse response, LiveCatalog catalog, HostModeInfo host)
    {
        response.Headers.CacheControl = "no-store";
        var mode = host.Mode == HostMode.CustomHandler ? "custom-handler" : "standalone";
        var snapshot = catalog.Current;
        var report = snapshot is null
            ? new HealthReport("starting", mode, null)
            : new HealthReport("healthy", mode, new(snapshot.Version, snapshot.Index.Count, snapshot.Index.BuiltFor, snapshot.LoadedAt));
        return TypedResults.Json(report, ApiJsonContext.Api.HealthReport,
            statusCode: snapshot is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
