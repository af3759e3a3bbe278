using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Catalog;

namespace ServerlessInnovation.Functions.MatchCarriers;

/// <summary>The answer to <c>POST /api/matches</c>: the best carriers first, with the parts of each score and the reasons.</summary>
/// <param name="MatchId">Signed and expiring: apply with it (<c>POST /api/applications</c>) instead of sending the profile again.</param>
public sealed record MatchResponse(
    string MatchId,
    DateOnly EvaluatedOn,
    long CatalogVersion,
    int Considered,
    int Eligible,
    int Excluded,
    TechSmeView TechSme,
    IReadOnlyList<ExclusionView> Exclusions,
    IReadOnlyList<MatchView> Matches)
{
    public static MatchResponse From(string matchId, MatchOutcome outcome, CatalogSnapshot snapshot, DateOnly today) => new(
        matchId,
        today,
        snapshot.Version,
        outcome.Considered,
        outcome.Eligible,
        outcome.Excluded,
        new(Code(outcome.TechSme.Status), outcome.TechSme.Score, outcome.TechSme.Explanation),
        [.. outcome.Exclusions.Select(e => new ExclusionView(e.Code, e.Threshold, e.Count, e.Reason))],
        [.. outcome.Matches.Select((m, i) => new MatchView(
            i + 1,
            Math.Round(m.Score, 2),
            CarrierViews.Summary(m.Carrier, m.District, m.Tier, snapshot.Index.BuiltFor),
            m.DistanceKm is { } km ? Math.Round(km, 2) : null,
            [.. m.Parts.Select(p => new ScorePartView(Code(p.Criterion), p.Weight, Math.Round(p.Value, 4), Math.Round(p.Points, 2), p.Explanation))],
            m.Reasons))]);

    private static string Code(TechSmeStatus status) => status switch
    {
        TechSmeStatus.Qualified => "qualified",
        TechSmeStatus.NotQualified => "not-qualified",
        TechSmeStatus.NotApplicable => "not-applicable",
        TechSmeStatus.NotAssessed => "not-assessed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static string Code(MatchCriterion criterion) => criterion switch
    {
        MatchCriterion.Industry => "industry",
        MatchCriterion.Proximity => "proximity",
        MatchCriterion.Services => "services",
        MatchCriterion.Vacancy => "vacancy",
        MatchCriterion.Tier => "tier",
        MatchCriterion.TrackRecord => "track-record",
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
    };
}

/// <summary>Where the startup stands on the tech-based SME test, which many incubators require.</summary>
public sealed record TechSmeView(string Status, int? Score, LocalizedText Explanation);

/// <summary>How many carriers one reason kept out (a carrier failing several rules counts under each).</summary>
public sealed record ExclusionView(string Code, long? Threshold, int Count, LocalizedText Reason);

/// <summary>One fitting carrier: rank, score (points out of 100), the score's parts and the reasons in plain words.</summary>
public sealed record MatchView(int Rank, double Score, CarrierSummary Carrier, double? DistanceKm, IReadOnlyList<ScorePartView> Parts, IReadOnlyList<LocalizedText> Reasons);

/// <summary>One criterion: its weight, the carrier's value on it (0–1), the points it adds and what it means.</summary>
public sealed record ScorePartView(string Criterion, double Weight, double Value, double Points, LocalizedText Explanation);
