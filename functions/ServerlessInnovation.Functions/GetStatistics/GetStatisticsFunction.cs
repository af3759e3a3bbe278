using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.Statistics;

namespace ServerlessInnovation.Functions.GetStatistics;

/// <summary>
/// <c>GET /api/statistics/latest</c> or <c>/api/statistics/{yyyy-MM-dd}[?scope=xihu]</c>, public: the headline figures of
/// a night's statistics (carriers, space, enterprises, applications) for the city or a district, with the change since
/// the night before. Bureaus read every indicator, and the files, at <c>/api/bureau/statistics/…</c>.
/// </summary>
public static class GetStatisticsFunction
{
    public const string Name = "GetStatistics";

    public static IEndpointRouteBuilder MapGetStatistics(this IEndpointRouteBuilder api)
    {
        api.MapGet("/statistics/{date}", HandleAsync).WithName(Name);
        return api;
    }

    private static async Task<IResult> HandleAsync(string date, HttpRequest request, HttpResponse response, StatisticsStore store, CancellationToken cancellationToken)
    {
        var (day, problem) = await StatisticsViews.DateAsync(date, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (scopes, scopeProblem) = StatisticsViews.Scopes(request, [StatisticsSnapshot.CityScope]);
        if (scopeProblem is not null)
        {
            return scopeProblem;
        }
        var rows = await store.ReadAsync(day!.Value, scopes, cancellationToken);
        if (rows.Count == 0)
        {
            return Problems.NotFound(new("这一天没有统计数据。", "There are no statistics for that day."));
        }
        response.Headers.CacheControl = "public, max-age=300";
        var view = StatisticsViews.View(day.Value, await store.GeneratedAtAsync(day.Value, cancellationToken), rows, scopes!, StatisticsViews.Headline, null);
        return TypedResults.Json(view, ApiJsonContext.Api.StatisticsView);
    }
}
