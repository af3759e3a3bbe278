using System.Globalization;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.Statistics;

namespace ServerlessInnovation.Functions.GetStatisticsDetail;

/// <summary>
/// <c>GET /api/bureau/statistics/{latest|yyyy-MM-dd}[?scope=…&amp;scope=…]</c>, for bureaus: every indicator of the
/// scopes asked for (all by default), with the previous night's value and the change, and links to the CSV, JSON and charts.
/// </summary>
public static class GetStatisticsDetailFunction
{
    public const string Name = "GetStatisticsDetail";

    public static IEndpointRouteBuilder MapGetStatisticsDetail(this IEndpointRouteBuilder bureau)
    {
        bureau.MapGet("/statistics/{date}", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<IResult> HandleAsync(string date, HttpRequest request, HttpResponse response, StatisticsStore store, CancellationToken cancellationToken)
    {
        var (day, problem) = await StatisticsViews.DateAsync(date, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (scopes, scopeProblem) = StatisticsViews.Scopes(request, StatisticsSnapshot.AllScopes);
        if (scopeProblem is not null)
        {
            return scopeProblem;
        }
        var rows = await store.ReadAsync(day!.Value, scopes!.Count == StatisticsSnapshot.AllScopes.Count ? null : scopes, cancellationToken);
        if (rows.Count == 0)
        {
            return Problems.NotFound(new("这一天没有统计数据。", "There are no statistics for that day."));
        }
        var path = $"/api/bureau/statistics/{day.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/";
        response.Headers.CacheControl = "no-store";
        var view = StatisticsViews.View(day.Value, await store.GeneratedAtAsync(day.Value, cancellationToken), rows, scopes, null,
            StatisticsFiles.All.ToDictionary(file => file, file => path + file));
        return TypedResults.Json(view, ApiJsonContext.Api.StatisticsView);
    }
}
