namespace ServerlessInnovation.Domain.Catalog;

/// <summary>A catalog: the districts and the carriers in them.</summary>
public sealed record CatalogData(IReadOnlyList<District> Districts, IReadOnlyList<Carrier> Carriers);

/// <summary>
/// Deterministic demo catalogs for demos, tests and benchmarks: plausible carriers with Chinese names, addresses,
/// award histories and Torch-style figures. Pure computation from fixed seeds and fixed dates: every call, on every
/// machine, culture and runtime, returns the same data, ordered by id.
/// </summary>
public static class DemoCatalog
{
    public const int HangzhouCarrierCount = 442;
    public const int HangzhouNationalIncubators = 48;
    public const int HangzhouNationalMakerSpaces = 68;

    /// <summary>The day the demo data describe ("today" in the app): every award is dated on or before it.</summary>
    public static DateOnly ReferenceDay => DemoCarrierBuilder.Today;

    private const ulong HangzhouSeed = 0x4A5A_2026_1122_0442;
    private const ulong NationalSeed = 0x4E41_2026_1122_2000;

    /// <summary>
    /// Carriers per district, with the national incubators scaled from the city's 2021 figures (57 → 48: Binjiang 14,
    /// Yuhang 8, Shangcheng 6, Xihu 6, Gongshu 5, Xiaoshan 5, Qiantang 5, Linping 3, Lin'an 3, Fuyang 1, Tonglu 1) and
    /// the 68 national maker spaces spread the same way.
    /// </summary>
    private static readonly IReadOnlyList<DistrictPlan> HangzhouPlan =
    [
        new("shangcheng", 42, 5, 7),
        new("gongshu", 40, 4, 6),
        new("xihu", 62, 5, 10),
        new("binjiang", 70, 12, 12),
        new("xiaoshan", 42, 4, 6),
        new("yuhang", 68, 7, 11),
        new("linping", 26, 3, 4),
        new("qiantang", 36, 4, 5),
        new("fuyang", 18, 1, 3),
        new("linan", 16, 2, 2),
        new("tonglu", 8, 1, 1),
        new("chunan", 6, 0, 0),
        new("jiande", 8, 0, 1),
    ];

    /// <summary>The carriers the city named, as national incubators (operators are plausible, not looked up).</summary>
    private static readonly IReadOnlyList<(string District, DemoNamedCarrier Carrier)> NamedCarriers =
    [
        ("gongshu", new("杭州北部软件园", "杭州北部软件园发展有限公司", CarrierFocus.Comprehensive,
            IndustrySet.Of(Industries.DigitalEconomy, Industries.NextGenerationIt))),
        ("xihu", new("银江孵化器", "杭州银江孵化器有限公司", CarrierFocus.Comprehensive,
            IndustrySet.Of(Industries.NextGenerationIt, Industries.ArtificialIntelligence))),
        ("yuhang", new("杭州师范大学科技园", "杭州师范大学科技园发展有限公司", CarrierFocus.Comprehensive,
            IndustrySet.Of(Industries.DigitalEconomy, Industries.Biomedicine, Industries.CulturalCreative))),
        ("xiaoshan", new("杭州湾信息港", "杭州湾信息港管理有限公司", CarrierFocus.Comprehensive,
            IndustrySet.Of(Industries.NextGenerationIt, Industries.DigitalEconomy))),
        ("xihu", new("杭州天和高科技产业园", "杭州天和高科技产业园有限公司", CarrierFocus.Comprehensive,
            IndustrySet.Of(Industries.AdvancedManufacturing, Industries.NextGenerationIt))),
    ];

    /// <summary>Ranks of the incubators and maker spaces below national level, weighted.</summary>
    private static readonly IReadOnlyList<(DemoRank Rank, int Weight)> LocalIncubatorRanks =
        [(DemoRank.Provincial, 30), (DemoRank.Municipal, 45), (DemoRank.District, 25)];

    private static readonly IReadOnlyList<(DemoRank Rank, int Weight)> LocalMakerSpaceRanks =
        [(DemoRank.Provincial, 30), (DemoRank.Municipal, 40), (DemoRank.District, 30)];

    /// <summary>Ranks of synthetic carriers: about a fifth national, as in the national statistics.</summary>
    private static readonly IReadOnlyList<(DemoRank Rank, int Weight)> SyntheticIncubatorRanks =
        [(DemoRank.National, 20), (DemoRank.Provincial, 28), (DemoRank.Municipal, 32), (DemoRank.District, 20)];

    private static readonly IReadOnlyList<(DemoRank Rank, int Weight)> SyntheticMakerSpaceRanks =
        [(DemoRank.National, 25), (DemoRank.Provincial, 25), (DemoRank.Municipal, 30), (DemoRank.District, 20)];

    /// <summary>Hangzhou: 442 carriers over its 13 districts and counties, 48 of them national incubators and 68 national maker spaces.</summary>
    public static CatalogData Hangzhou()
    {
        var random = new DemoRandom(HangzhouSeed);
        var builder = new DemoCarrierBuilder(random);
        var carriers = new List<Carrier>(HangzhouCarrierCount);
        foreach (var locale in DemoVocabulary.Hangzhou)
        {
            var plan = HangzhouPlan.Single(p => p.DistrictCode == locale.District.Code);
            foreach (var slot in Slots(plan, random))
            {
                carriers.Add(builder.Build(locale, slot));
            }
        }
        return new CatalogData(HangzhouDistricts.All, ById(carriers));
    }

    /// <summary>
    /// A national catalog of <paramref name="carrierCount"/> carriers: the Hangzhou catalog (so at least 442) plus
    /// carriers spread over about 1,800 districts of 300 synthetic cities across mainland China ("城市017·区3").
    /// Linear in <paramref name="carrierCount"/>; the districts are the same for every count.
    /// </summary>
    public static CatalogData National(int carrierCount = 20_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(carrierCount, HangzhouCarrierCount);
        var hangzhou = Hangzhou();
        var synthetic = DemoGeography.SyntheticDistricts;

        var cumulative = new double[synthetic.Count];
        var total = 0.0;
        for (var i = 0; i < synthetic.Count; i++)
        {
            total += synthetic[i].Weight;
            cumulative[i] = total;
        }

        var random = new DemoRandom(NationalSeed);
        var builder = new DemoCarrierBuilder(random);
        foreach (var carrier in hangzhou.Carriers)
        {
            builder.Reserve(carrier.Name);
        }
        var carriers = new List<Carrier>(carrierCount);
        carriers.AddRange(hangzhou.Carriers);
        while (carriers.Count < carrierCount)
        {
            var at = Array.BinarySearch(cumulative, random.NextDouble() * total);
            var locale = synthetic[Math.Min(at < 0 ? ~at : at, synthetic.Count - 1)].Locale;
            var type = random.Chance(0.45) ? CarrierType.Incubator : CarrierType.MakerSpace;
            var rank = random.PickWeighted(type == CarrierType.Incubator ? SyntheticIncubatorRanks : SyntheticMakerSpaceRanks);
            carriers.Add(builder.Build(locale, new DemoSlot(type, rank)));
        }

        District[] districts = [.. hangzhou.Districts, .. synthetic.Select(d => d.Locale.District)];
        return new CatalogData(Array.AsReadOnly(districts), ById(carriers));
    }

    /// <summary>
    /// A district's slots in random order (so ids mix tiers): named and other national incubators, national maker spaces,
    /// then local ones; 28% of the incubators specialised.
    /// </summary>
    private static List<DemoSlot> Slots(DistrictPlan plan, DemoRandom random)
    {
        var named = NamedCarriers.Where(n => n.District == plan.DistrictCode).Select(n => n.Carrier).ToList();
        if (named.Count > plan.NationalIncubators)
        {
            throw new InvalidOperationException($"District '{plan.DistrictCode}' has more named carriers than national incubators.");
        }

        var slots = new List<DemoSlot>(plan.Carriers);
        for (var i = 0; i < plan.NationalIncubators; i++)
        {
            slots.Add(new DemoSlot(CarrierType.Incubator, DemoRank.National, i < named.Count ? named[i] : null));
        }
        for (var i = 0; i < plan.NationalMakerSpaces; i++)
        {
            slots.Add(new DemoSlot(CarrierType.MakerSpace, DemoRank.National));
        }
        // Of the local carriers, 45% are incubators.
        var local = plan.Carriers - plan.NationalIncubators - plan.NationalMakerSpaces;
        var localIncubators = (local * 9 + 10) / 20;
        for (var i = 0; i < local; i++)
        {
            slots.Add(i < localIncubators
                ? new DemoSlot(CarrierType.Incubator, random.PickWeighted(LocalIncubatorRanks))
                : new DemoSlot(CarrierType.MakerSpace, random.PickWeighted(LocalMakerSpaceRanks)));
        }

        // Exactly the usual share of the incubators (the named ones aside) is specialised, so that a small city is not left to chance.
        var unnamedIncubators = Enumerable.Range(0, slots.Count)
            .Where(i => slots[i].Type == CarrierType.Incubator && slots[i].Named is null).ToList();
        var specialised = (int)Math.Round((plan.NationalIncubators + localIncubators) * DemoCarrierBuilder.SpecialisedIncubatorShare);
        random.Shuffle(unnamedIncubators);
        for (var i = 0; i < unnamedIncubators.Count; i++)
        {
            slots[unnamedIncubators[i]] = slots[unnamedIncubators[i]] with
            {
                Focus = i < specialised ? CarrierFocus.Specialised : CarrierFocus.Comprehensive,
            };
        }

        random.Shuffle(slots);
        return slots;
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<Carrier> ById(List<Carrier> carriers)
    {
        carriers.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return carriers.AsReadOnly();
    }

    private sealed record DistrictPlan(string DistrictCode, int Carriers, int NationalIncubators, int NationalMakerSpaces);
}
