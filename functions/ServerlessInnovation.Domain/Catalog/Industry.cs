namespace ServerlessInnovation.Domain.Catalog;

/// <summary>One industry of the taxonomy shared by carriers (their focus) and startups (their field).</summary>
/// <param name="Code">Stable code used in the API and in storage.</param>
/// <param name="Bit">Position in an <see cref="IndustrySet"/> bit mask.</param>
public sealed record Industry(string Code, int Bit, LocalizedText Name);

/// <summary>A set of industries as a bit mask: cheap to store per carrier and to test per match.</summary>
public readonly record struct IndustrySet(uint Mask)
{
    public static IndustrySet Empty => default;

    public static IndustrySet Of(params ReadOnlySpan<Industry> industries)
    {
        uint mask = 0;
        foreach (var industry in industries)
        {
            mask |= 1u << industry.Bit;
        }
        return new IndustrySet(mask);
    }

    public bool IsEmpty => Mask == 0;

    public bool Contains(Industry industry) => (Mask & (1u << industry.Bit)) != 0;

    public bool Overlaps(IndustrySet other) => (Mask & other.Mask) != 0;

    public IndustrySet With(Industry industry) => new(Mask | (1u << industry.Bit));

    public IEnumerable<Industry> Members => Industries.All.Where(Contains);
}

/// <summary>
/// The industry taxonomy: the strategic emerging industries a city bureau reports on, plus the relations
/// that let a carrier focused on one industry serve a neighbouring one.
/// </summary>
public static class Industries
{
    public static readonly Industry ArtificialIntelligence = new("ai", 0, new("人工智能", "Artificial intelligence"));
    public static readonly Industry Biomedicine = new("biomedicine", 1, new("生物医药", "Biomedicine"));
    public static readonly Industry AdvancedManufacturing = new("advanced-manufacturing", 2, new("高端装备制造", "High-end equipment manufacturing"));
    public static readonly Industry NextGenerationIt = new("next-generation-it", 3, new("新一代信息技术", "Next-generation information technology"));
    public static readonly Industry NewMaterials = new("new-materials", 4, new("新材料", "New materials"));
    public static readonly Industry NewEnergy = new("new-energy", 5, new("新能源", "New energy"));
    public static readonly Industry DigitalEconomy = new("digital-economy", 6, new("数字经济与软件", "Digital economy and software"));
    public static readonly Industry CulturalCreative = new("cultural-creative", 7, new("文化创意", "Cultural and creative industries"));
    public static readonly Industry ModernAgriculture = new("modern-agriculture", 8, new("现代农业", "Modern agriculture"));
    public static readonly Industry IntegratedCircuits = new("integrated-circuits", 9, new("集成电路", "Integrated circuits"));
    public static readonly Industry EnergySaving = new("energy-saving", 10, new("节能环保", "Energy saving and environmental protection"));

    public static readonly IReadOnlyList<Industry> All =
    [
        ArtificialIntelligence, Biomedicine, AdvancedManufacturing, NextGenerationIt, NewMaterials, NewEnergy,
        DigitalEconomy, CulturalCreative, ModernAgriculture, IntegratedCircuits, EnergySaving,
    ];

    // Neighbouring industries: a carrier focused on one of a group gives a startup of another real support.
    private static readonly Industry[][] RelatedGroups =
    [
        [ArtificialIntelligence, NextGenerationIt, DigitalEconomy, IntegratedCircuits],
        [AdvancedManufacturing, NewMaterials, IntegratedCircuits],
        [NewEnergy, NewMaterials, EnergySaving],
        [CulturalCreative, DigitalEconomy],
        [Biomedicine, ModernAgriculture],
    ];

    private static readonly IndustrySet[] RelatedByBit = BuildRelated();

    /// <summary>All industries, by code, in taxonomy order (for error messages that list the choices).</summary>
    public static string Codes { get; } = string.Join(", ", All.Select(i => i.Code));

    public static bool TryParse(string? code, out Industry industry)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code, code, StringComparison.Ordinal))
            {
                industry = candidate;
                return true;
            }
        }
        industry = null!;
        return false;
    }

    /// <summary>Industries related to <paramref name="industry"/>, itself excluded.</summary>
    public static IndustrySet RelatedTo(Industry industry) => RelatedByBit[industry.Bit];

    private static IndustrySet[] BuildRelated()
    {
        var related = new IndustrySet[All.Count];
        foreach (var group in RelatedGroups)
        {
            foreach (var member in group)
            {
                foreach (var other in group)
                {
                    if (other != member)
                    {
                        related[member.Bit] = related[member.Bit].With(other);
                    }
                }
            }
        }
        return related;
    }
}
