using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Matching;

/// <summary>One criterion's share of a score: its weight, the carrier's value on it (0–1) and what that value means.</summary>
public sealed record ScorePart(MatchCriterion Criterion, double Weight, double Value, LocalizedText Explanation)
{
    /// <summary>Points out of 100 this part adds to the score.</summary>
    public double Points => Weight * Value * 100;
}

/// <summary>A carrier that fits, with its score (points out of 100), the parts of that score and the reasons in plain words.</summary>
public sealed record CarrierMatch(
    Carrier Carrier,
    District District,
    TierLevel? Tier,
    double Score,
    double? DistanceKm,
    IReadOnlyList<ScorePart> Parts,
    IReadOnlyList<LocalizedText> Reasons);

/// <summary>How many carriers one reason kept out. A carrier that fails several rules counts under each.</summary>
/// <param name="Threshold">The rule's threshold when the reason is an entry rule with one (24 for "older than 24 months").</param>
public sealed record Exclusion(string Code, long? Threshold, LocalizedText Reason, int Count);

/// <summary>The answer to one match: the best carriers first, and why the others were left out.</summary>
public sealed record MatchOutcome(
    int Considered,
    int Eligible,
    IReadOnlyList<CarrierMatch> Matches,
    IReadOnlyList<Exclusion> Exclusions,
    TechSmeAssessment TechSme)
{
    public int Excluded => Considered - Eligible;
}
