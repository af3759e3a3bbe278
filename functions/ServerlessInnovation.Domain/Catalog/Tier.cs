namespace ServerlessInnovation.Domain.Catalog;

/// <summary>
/// A level of recognition a carrier can hold. Levels are data: the 2018 MOST ladder (national, provincial,
/// municipal, district) and the 2025 MIIT tiers (标准级, 卓越级) live side by side, and a new regime is a new entry.
/// </summary>
/// <param name="Code">Stable code used in the API and in storage.</param>
/// <param name="Prestige">Weight of the level in matching, from 0 (none) to 1 (the highest).</param>
/// <param name="DefaultIssuingBody">Who usually confers it, for generated data and for display when unknown.</param>
public sealed record TierLevel(string Code, LocalizedText Name, double Prestige, LocalizedText DefaultIssuingBody);

/// <summary>One recognition a carrier received: which level, from whom, and when it is in force.</summary>
/// <param name="ValidUntil">Last day in force; null while it has no end date.</param>
public sealed record TierAward(string LevelCode, string IssuingBody, DateOnly AwardedOn, DateOnly? ValidUntil = null)
{
    public bool IsInForceOn(DateOnly day) => AwardedOn <= day && (ValidUntil is null || day <= ValidUntil);
}

public static class Tiers
{
    public static readonly TierLevel National = new("national", new("国家级", "National"), 1.00,
        new("科学技术部", "Ministry of Science and Technology"));

    public static readonly TierLevel Excellent = new("excellent", new("卓越级", "Excellent tier"), 1.00,
        new("工业和信息化部", "Ministry of Industry and Information Technology"));

    public static readonly TierLevel Standard = new("standard", new("标准级", "Standard tier"), 0.85,
        new("工业和信息化部", "Ministry of Industry and Information Technology"));

    public static readonly TierLevel Provincial = new("provincial", new("省级", "Provincial"), 0.70,
        new("浙江省科学技术厅", "Zhejiang Provincial Department of Science and Technology"));

    public static readonly TierLevel Municipal = new("municipal", new("市级", "Municipal"), 0.50,
        new("杭州市科学技术局", "Hangzhou Municipal Bureau of Science and Technology"));

    public static readonly TierLevel District = new("district", new("区（县）级", "District"), 0.30,
        new("区（县、市）科学技术局", "District science and technology bureau"));

    public static readonly IReadOnlyList<TierLevel> All = [Excellent, National, Standard, Provincial, Municipal, District];

    public static string Codes { get; } = string.Join(", ", All.Select(t => t.Code));

    public static TierLevel? Find(string? code)
    {
        foreach (var level in All)
        {
            if (string.Equals(level.Code, code, StringComparison.Ordinal))
            {
                return level;
            }
        }
        return null;
    }

    /// <summary>The most prestigious level among the awards in force on <paramref name="day"/>; ties go to the earlier entry of <see cref="All"/>.</summary>
    public static TierLevel? HighestInForce(IEnumerable<TierAward> awards, DateOnly day)
    {
        TierLevel? best = null;
        foreach (var award in awards)
        {
            if (!award.IsInForceOn(day) || Find(award.LevelCode) is not { } level)
            {
                continue;
            }
            if (best is null || level.Prestige > best.Prestige ||
                (level.Prestige == best.Prestige && IndexOf(level) < IndexOf(best)))
            {
                best = level;
            }
        }
        return best;
    }

    private static int IndexOf(TierLevel level)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (ReferenceEquals(All[i], level))
            {
                return i;
            }
        }
        return int.MaxValue;
    }
}
