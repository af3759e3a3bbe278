namespace ServerlessInnovation.Domain.Catalog;

/// <summary>What a carrier has achieved, as reported in its Torch statistics.</summary>
public sealed record TrackRecord(int EnterprisesInIncubation, int Graduated, int HighTechEnterprises, int Jobs)
{
    public static TrackRecord None { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// An incubation carrier: an incubator (科技企业孵化器) or a maker space (众创空间), with its space, focus,
/// services, record and entry rules.
/// </summary>
public sealed record Carrier
{
    /// <summary>Stable id: lowercase letters, digits and '-'.</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required CarrierType Type { get; init; }
    public required CarrierFocus Focus { get; init; }
    public required IReadOnlyList<TierAward> Tiers { get; init; }
    public required string DistrictCode { get; init; }
    public required string Address { get; init; }
    public required GeoPoint Location { get; init; }
    public required double TotalAreaM2 { get; init; }
    public required double FreeAreaM2 { get; init; }
    public required int FreeWorkstations { get; init; }
    /// <summary>Focus industries; empty for a comprehensive carrier with no stated focus.</summary>
    public required IndustrySet Industries { get; init; }
    public required CarrierServices Services { get; init; }
    public required TrackRecord TrackRecord { get; init; }
    public required IReadOnlyList<EntryRule> EntryRules { get; init; }
    /// <summary>The operator's company, if known.</summary>
    public string? Operator { get; init; }

    /// <summary>Longest id accepted: a table key is at most 1 KiB, and ids appear in URLs.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Whether <paramref name="id"/> has the id shape: 1–64 of a–z, 0–9 and '-', starting with a letter or digit.</summary>
    public static bool IsValidId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxIdLength || id[0] == '-')
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    public TierLevel? TierOn(DateOnly day) => Catalog.Tiers.HighestInForce(Tiers, day);
}
