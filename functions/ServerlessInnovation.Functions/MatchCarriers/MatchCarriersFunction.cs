using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.MatchCarriers;

/// <summary><c>POST /api/matches</c>: a startup's profile in, the carriers that fit it out, best first, with reasons.</summary>
public static partial class MatchCarriersFunction
{
    public const string Name = "MatchCarriers";

    public static IEndpointRouteBuilder MapMatchCarriers(this IEndpointRouteBuilder api)
    {
        api.MapPost("/matches", HandleAsync).WithName(Name);
        return api;
    }

    private static async Task<Results<JsonHttpResult<MatchResponse>, ApiProblem>> HandleAsync(
        HttpRequest request,
        LiveCatalog catalog,
        IOptionsMonitor<MatchingOptions> matching,
        IOptions<CatalogOptions> catalogOptions,
        TimeProvider time,
        ApplicationSecrets secrets,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, ApiJsonContext.Api.MatchRequest, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var snapshot = await catalog.GetAsync(catalogOptions.Value.FirstLoadWait, cancellationToken);
        if (snapshot is null)
        {
            return Problems.CatalogUnavailable();
        }

        var options = matching.CurrentValue;
        var now = time.GetUtcNow();
        var today = ChinaStandardTime.DayOf(now);
        var errors = new FieldErrors();
        var profile = body.Value!.Validate(today, snapshot.Index.Districts, options.MaxTop, errors);
        if (profile is null)
        {
            return Problems.Validation(errors.All);
        }

        var top = body.Value.Top ?? options.DefaultTop;
        var outcome = snapshot.Index.Match(profile, today, options.ToPolicy(), top);
        var logger = loggers.CreateLogger(typeof(MatchCarriersFunction));
        LogMatched(logger, profile.Industry.Code, outcome.Considered, outcome.Eligible, outcome.Matches.Count, snapshot.Version);
        var matchId = secrets.CreateMatchId(ProfileRecord.From(profile), now);
        return TypedResults.Json(MatchResponse.From(matchId, outcome, snapshot, today), ApiJsonContext.Api.MatchResponse);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug,
        Message = "Matched a startup in {Industry}: {Considered} carriers considered, {Eligible} eligible, {Returned} returned (catalog version {Version})")]
    private static partial void LogMatched(ILogger logger, string industry, int considered, int eligible, int returned, long version);
}
