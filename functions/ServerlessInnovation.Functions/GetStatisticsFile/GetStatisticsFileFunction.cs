using Azure;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.Statistics;

namespace ServerlessInnovation.Functions.GetStatisticsFile;

/// <summary>
/// <c>GET /api/bureau/statistics/{latest|yyyy-MM-dd}/{file}</c>, for bureaus: a snapshot's <c>statistics.csv</c> (opens in
/// Excel), <c>statistics.json</c>, or one of its SVG charts, streamed from Blob storage.
/// </summary>
public static class GetStatisticsFileFunction
{
    public const string Name = "GetStatisticsFile";

    public static IEndpointRouteBuilder MapGetStatisticsFile(this IEndpointRouteBuilder bureau)
    {
        bureau.MapGet("/statistics/{date}/{file}", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<IResult> HandleAsync(string date, string file, HttpResponse response, StatisticsStore store, CancellationToken cancellationToken)
    {
        var (day, problem) = await StatisticsViews.DateAsync(date, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (!StatisticsFiles.All.Contains(file))
        {
            return Problems.NotFound(new($"没有这个文件，可用：{string.Join("、", StatisticsFiles.All)}。", $"There is no such file; use one of: {string.Join(", ", StatisticsFiles.All)}."));
        }
        try
        {
            var download = (await store.Blob(day!.Value, file).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            response.RegisterForDispose(download);
            response.Headers.CacheControl = "private, max-age=300";
            return TypedResults.Stream(download.Content, StatisticsFiles.ContentType(file),
                fileDownloadName: $"{day.Value:yyyy-MM-dd}-{file}", lastModified: download.Details.LastModified);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return Problems.NotFound(new("这一天没有统计数据。", "There are no statistics for that day."));
        }
    }
}
