namespace ServerlessInnovation.Domain.Matching;

/// <summary>The parts of a match score; each is a value from 0 to 1 times its weight.</summary>
public enum MatchCriterion
{
    Industry = 1,
    Proximity = 2,
    Services = 3,
    Vacancy = 4,
    Tier = 5,
    TrackRecord = 6,
}

/// <summary>Weights of the six criteria; they sum to 1 so that a score reads as points out of 100.</summary>
public sealed record MatchWeights(double Industry, double Proximity, double Services, double Vacancy, double Tier, double TrackRecord)
{
    public static MatchWeights Default { get; } = new(0.30, 0.20, 0.20, 0.10, 0.10, 0.10);

    /// <summary>The weighted sum. Every path that scores (the index and any reference) must go through here, so sums agree to the bit.</summary>
    public double Combine(double industry, double proximity, double services, double vacancy, double tier, double trackRecord) =>
        Industry * industry + Proximity * proximity + Services * services + Vacancy * vacancy + Tier * tier + TrackRecord * trackRecord;

    public double this[MatchCriterion criterion] => criterion switch
    {
        MatchCriterion.Industry => Industry,
        MatchCriterion.Proximity => Proximity,
        MatchCriterion.Services => Services,
        MatchCriterion.Vacancy => Vacancy,
        MatchCriterion.Tier => Tier,
        MatchCriterion.TrackRecord => TrackRecord,
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
    };

    /// <summary>Problems that make the weights unusable; empty when they are fine.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var criterion in Enum.GetValues<MatchCriterion>())
        {
            var weight = this[criterion];
            if (!double.IsFinite(weight) || weight < 0 || weight > 1)
            {
                yield return $"The {criterion} weight must be between 0 and 1, not {weight}.";
            }
        }
        var sum = Industry + Proximity + Services + Vacancy + Tier + TrackRecord;
        if (Math.Abs(sum - 1) > 1e-6)
        {
            yield return $"The weights must add up to 1, not {sum}.";
        }
    }
}

/// <summary>Everything that tunes matching: the weights and the few scales the criteria need.</summary>
/// <param name="ProximityRadiusKm">Distance at which the proximity value reaches 0.</param>
/// <param name="AreaPerWorkstationM2">Floor area that stands in for one workstation when a carrier offers area only.</param>
/// <param name="FullHeadroomRatio">Free space over need at which the vacancy value reaches 1.</param>
public sealed record MatchingPolicy(MatchWeights Weights, double ProximityRadiusKm = 30, double AreaPerWorkstationM2 = 8, double FullHeadroomRatio = 4)
{
    public static MatchingPolicy Default { get; } = new(MatchWeights.Default);

    public IEnumerable<string> Validate()
    {
        foreach (var problem in Weights.Validate())
        {
            yield return problem;
        }
        if (!(ProximityRadiusKm is > 0 and <= 5000))
        {
            yield return $"ProximityRadiusKm must be in (0, 5000], not {ProximityRadiusKm}.";
        }
        if (!(AreaPerWorkstationM2 is > 0 and <= 100))
        {
            yield return $"AreaPerWorkstationM2 must be in (0, 100], not {AreaPerWorkstationM2}.";
        }
        if (!(FullHeadroomRatio is > 1 and <= 100))
        {
            yield return $"FullHeadroomRatio must be in (1, 100], not {FullHeadroomRatio}.";
        }
    }
}
