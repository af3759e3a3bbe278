using System.Globalization;
using System.Numerics;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Catalog;

/// <summary>A demo carrier's rank on the 2018 MOST ladder; the 2025 MIIT tiers are added on top of some national and provincial ones.</summary>
internal enum DemoRank
{
    National,
    Provincial,
    Municipal,
    District,
}

/// <summary>A carrier the city named: generated like the others, but with its real name, operator and focus.</summary>
internal sealed record DemoNamedCarrier(string Name, string Operator, CarrierFocus Focus, IndustrySet Industries);

/// <summary>What to generate: a carrier of a type and rank, optionally a named one or one of a set focus (else drawn at random).</summary>
internal readonly record struct DemoSlot(CarrierType Type, DemoRank Rank, DemoNamedCarrier? Named = null, CarrierFocus? Focus = null);

/// <summary>
/// Turns slots into carriers with plausible figures (domain reference §1.1, §1.5, §1.6): areas and track records that
/// meet the thresholds of their rank, award histories, vacancies, services and entry rules. Keeps names unique and
/// numbers ids per district. Every choice comes from one <see cref="DemoRandom"/>, so a fixed seed and a fixed order of
/// slots give the same carriers everywhere.
/// </summary>
internal sealed class DemoCarrierBuilder(DemoRandom random)
{
    /// <summary>The app's "today" the data are made for: every award is dated on or before it.</summary>
    public static readonly DateOnly Today = new(2026, 11, 22);

    public const int FirstIncubatorAwardYear = 2005;

    /// <summary>众创空间 exist since the 2015 policy push.</summary>
    public const int FirstMakerSpaceAwardYear = 2015;

    public const double SpecialisedIncubatorShare = 0.28;
    private const double SpecialisedMakerSpaceShare = 0.12;
    private const double FullShare = 0.08;

    private const string Ministry = "科学技术部";
    private const string TorchCentre = "科技部火炬中心";

    /// <summary>Industries whose specialised carriers often run pilot lines.</summary>
    private static readonly IndustrySet PilotIndustries = IndustrySet.Of(
        Industries.Biomedicine, Industries.AdvancedManufacturing, Industries.NewMaterials, Industries.NewEnergy,
        Industries.IntegratedCircuits, Industries.EnergySaving, Industries.ModernAgriculture);

    private static readonly IReadOnlyList<(int Count, int Weight)> ComprehensiveFocusCounts = [(0, 20), (1, 20), (2, 30), (3, 20), (4, 10)];

    private static readonly IReadOnlyList<string> Phases = ["二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期"];

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _countByDistrict = new(StringComparer.Ordinal);

    /// <summary>Keeps generated names away from <paramref name="name"/>.</summary>
    public void Reserve(string name) => _names.Add(name);

    public Carrier Build(DemoLocale locale, DemoSlot slot)
    {
        var district = locale.District;
        var number = _countByDistrict[district.Code] = _countByDistrict.GetValueOrDefault(district.Code) + 1;
        var incubator = slot.Type == CarrierType.Incubator;

        var focus = slot.Named?.Focus ?? slot.Focus ??
            (random.Chance(incubator ? SpecialisedIncubatorShare : SpecialisedMakerSpaceShare) ? CarrierFocus.Specialised : CarrierFocus.Comprehensive);
        DemoPlace place;
        IndustrySet industries;
        string name;
        if (slot.Named is { } named)
        {
            (place, industries, name) = (random.Pick(locale.Places), named.Industries, named.Name);
        }
        else
        {
            (place, industries, var primary) = PlaceAndFocus(locale, focus);
            (name, place) = Name(locale, place, slot.Type, primary, industries);
        }
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"Demo carrier name '{name}' is taken.");
        }

        var tiers = Awards(locale, slot);
        var area = Area(slot, focus);
        var full = random.Chance(FullShare);
        var vacancy = full ? 0 : random.Chance(0.85) ? random.Between(0.03, 0.25) : random.Between(0.25, 0.45);

        return new Carrier
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{district.Code}-{number:D3}"),
            Name = name,
            Type = slot.Type,
            Focus = focus,
            Tiers = tiers,
            DistrictCode = district.Code,
            Address = Address(locale),
            Location = DemoGeography.Around(district.Centre, random.InUnitDisc(), locale.SpreadKm),
            TotalAreaM2 = area,
            FreeAreaM2 = Math.Round(area * vacancy),
            FreeWorkstations = FreeWorkstations(incubator, area, vacancy),
            Industries = industries,
            Services = Services(slot, focus, industries),
            TrackRecord = Record(slot, focus, area, tiers[0].AwardedOn.Year),
            EntryRules = Rules(slot, focus, industries),
            Operator = slot.Named?.Operator ?? Operator(locale, place, incubator),
        };
    }

    /// <summary>
    /// A specialised carrier serves 1–2 related industries of its district and mostly stands at a place known for the
    /// first one, its primary industry (医药港 for biomedicine), if there is one; a comprehensive one states 0–4 it
    /// favours, often its place's, and has no primary industry.
    /// </summary>
    private (DemoPlace Place, IndustrySet Industries, Industry? Primary) PlaceAndFocus(DemoLocale locale, CarrierFocus focus)
    {
        DemoPlace place;
        if (focus == CarrierFocus.Specialised)
        {
            var primary = random.PickWeighted(locale.Industries);
            var known = locale.Places.Where(p => p.Hint == primary).ToList();
            place = known.Count > 0 && random.Chance(0.7) ? random.Pick(known) : random.Pick(locale.Places);
            var set = IndustrySet.Of(primary);
            return (place, random.Chance(0.35) ? set.With(PickMember(Industries.RelatedTo(primary))) : set, primary);
        }

        place = random.Pick(locale.Places);
        var count = random.PickWeighted(ComprehensiveFocusCounts);
        var industries = count > 0 && place.Hint is { } hint && random.Chance(0.6) ? IndustrySet.Of(hint) : IndustrySet.Empty;
        for (var attempt = 0; attempt < 20 && BitOperations.PopCount(industries.Mask) < count; attempt++)
        {
            industries = industries.With(random.PickWeighted(locale.Industries));
        }
        return (place, industries, null);
    }

    private Industry PickMember(IndustrySet industries)
    {
        var skip = random.Next(BitOperations.PopCount(industries.Mask));
        foreach (var industry in Industries.All)
        {
            if (industries.Contains(industry) && skip-- == 0)
            {
                return industry;
            }
        }
        throw new ArgumentException("The set of industries is empty.", nameof(industries));
    }

    /// <summary>
    /// Place, then a word of the primary industry (or of a favoured one, or a general word), then a suffix:
    /// "紫金港人工智能孵化器". Unique; the place may change on a clash.
    /// </summary>
    private (string Name, DemoPlace Place) Name(DemoLocale locale, DemoPlace place, CarrierType type, Industry? primary, IndustrySet industries)
    {
        var candidate = "";
        for (var attempt = 0; attempt < 30; attempt++)
        {
            if (attempt > 0)
            {
                place = random.Pick(locale.Places);
            }
            var prefix = locale.NamePrefix;
            if (locale.OptionalNamePrefixes.Count > 0 && random.Chance(0.2))
            {
                prefix += random.Pick(locale.OptionalNamePrefixes);
            }
            var word = primary is not null ? random.Pick(DemoVocabulary.WordsFor(primary))
                : !industries.IsEmpty && random.Chance(0.35) ? random.Pick(DemoVocabulary.WordsFor(PickMember(industries)))
                : random.PickWeighted(DemoVocabulary.ComprehensiveWords);
            if (place.Zh.Contains(word, StringComparison.Ordinal) || word.Contains(place.Zh, StringComparison.Ordinal))
            {
                word = "";
            }
            var suffix = random.PickWeighted(type == CarrierType.Incubator ? DemoVocabulary.IncubatorSuffixes : DemoVocabulary.MakerSpaceSuffixes);
            if (place.Zh.EndsWith('园') && suffix.EndsWith('园'))
            {
                suffix = "孵化器";
            }
            candidate = prefix + place.Zh + word + suffix;
            if (!Stutters(candidate) && !_names.Contains(candidate))
            {
                return (candidate, place);
            }
        }
        for (var phase = 2; ; phase++)
        {
            var phased = candidate + (phase - 2 < Phases.Count ? Phases[phase - 2] : string.Create(CultureInfo.InvariantCulture, $"{phase}期"));
            if (!_names.Contains(phased))
            {
                return (phased, place);
            }
        }
    }

    /// <summary>Whether two characters repeat at once ("创业创业园"), which no real name does.</summary>
    private static bool Stutters(string name)
    {
        for (var i = 0; i + 4 <= name.Length; i++)
        {
            if (name[i] == name[i + 2] && name[i + 1] == name[i + 3])
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The award history: the rank's award, sometimes preceded by a lower one (superseded, or still in force), sometimes
    /// followed by a 2025 MIIT tier; a few municipal and district awards have lapsed after a three-year term.
    /// </summary>
    private List<TierAward> Awards(DemoLocale locale, DemoSlot slot)
    {
        var incubator = slot.Type == CarrierType.Incubator;
        var first = incubator ? FirstIncubatorAwardYear : FirstMakerSpaceAwardYear;
        var lapsed = slot.Rank is DemoRank.Municipal or DemoRank.District && random.Chance(incubator ? 0.03 : 0.08);
        var (from, to) = slot.Rank switch
        {
            DemoRank.National => incubator ? (2005, 2024) : (2016, 2023),
            DemoRank.Provincial => (incubator ? 2007 : 2016, 2025),
            DemoRank.Municipal => (incubator ? 2006 : 2015, 2025),
            _ => (incubator ? 2010 : 2015, 2026),
        };
        var year = random.Between(from, lapsed ? 2022 : to);
        var awardedOn = Day(year);

        var awards = new List<TierAward>(3);
        DemoRank? lower = slot.Rank switch
        {
            DemoRank.National when incubator && random.Chance(0.5) => DemoRank.Provincial,
            DemoRank.National or DemoRank.Provincial => DemoRank.Municipal,
            DemoRank.Municipal => DemoRank.District,
            _ => null,
        };
        if (!lapsed && lower is { } lowerRank && year - 2 >= first && random.Chance(0.4))
        {
            var priorYear = random.Between(Math.Max(first, year - 6), year - 2);
            awards.Add(new TierAward(LevelOf(lowerRank).Code, IssuingBody(locale, slot.Type, lowerRank, priorYear), Day(priorYear),
                random.Chance(0.25) ? awardedOn.AddDays(-1) : null));
        }
        awards.Add(new TierAward(LevelOf(slot.Rank).Code, IssuingBody(locale, slot.Type, slot.Rank, year), awardedOn,
            lapsed ? awardedOn.AddYears(3).AddDays(-1) : null));

        if (incubator && slot.Rank is DemoRank.National or DemoRank.Provincial)
        {
            var miit = slot.Rank == DemoRank.National
                ? random.Chance(0.08) ? Tiers.Excellent : random.Chance(0.04) ? Tiers.Standard : null
                : random.Chance(0.08) ? Tiers.Standard : null;
            if (miit is not null)
            {
                awards.Add(new TierAward(miit.Code, miit.DefaultIssuingBody.Zh, MiitDay()));
            }
        }
        return awards;
    }

    private static TierLevel LevelOf(DemoRank rank) => rank switch
    {
        DemoRank.National => Tiers.National,
        DemoRank.Provincial => Tiers.Provincial,
        DemoRank.Municipal => Tiers.Municipal,
        _ => Tiers.District,
    };

    private static string IssuingBody(DemoLocale locale, CarrierType type, DemoRank rank, int year) => rank switch
    {
        // National maker spaces were filed by the ministry at first, later by its Torch Centre.
        DemoRank.National => type == CarrierType.MakerSpace && year >= 2020 ? TorchCentre : Ministry,
        DemoRank.Provincial => locale.ProvincialBody,
        DemoRank.Municipal => locale.MunicipalBody,
        _ => locale.DistrictBody,
    };

    /// <summary>A day of <paramref name="year"/>, on or before <see cref="Today"/>.</summary>
    private DateOnly Day(int year) =>
        new(year, year == Today.Year ? random.Between(1, Today.Month - 1) : random.Between(1, 12), random.Between(1, 28));

    /// <summary>The MIIT 2025 measures took effect in 2025; recognitions from September 2025 on.</summary>
    private DateOnly MiitDay() => random.Chance(0.5)
        ? new DateOnly(2025, random.Between(9, 12), random.Between(1, 28))
        : Day(2026);

    /// <summary>Total area in m², at least the rank's threshold, skewed towards it; rounded to 10 m².</summary>
    private double Area(DemoSlot slot, CarrierFocus focus)
    {
        var (min, span) = (slot.Type, slot.Rank) switch
        {
            (CarrierType.Incubator, DemoRank.National) => focus == CarrierFocus.Specialised ? (5_000, 35_000) : (10_000, 50_000),
            (CarrierType.Incubator, DemoRank.Provincial) => (3_000, 17_000),
            (CarrierType.Incubator, DemoRank.Municipal) => (2_000, 10_000),
            (CarrierType.Incubator, _) => (800, 6_000),
            (_, DemoRank.National) => (800, 5_200),
            (_, DemoRank.Provincial) => (600, 3_400),
            _ => (500, 2_500),
        };
        var u = random.NextDouble();
        return Math.Round((min + span * u * u) / 10) * 10;
    }

    /// <summary>Maker spaces let desks (one per 6–10 m² of their open area); a quarter of incubators keep a few too.</summary>
    private int FreeWorkstations(bool incubator, double area, double vacancy)
    {
        if (incubator)
        {
            return vacancy > 0 && random.Chance(0.25) ? random.Between(2, 20) : 0;
        }
        var workstations = area * random.Between(0.55, 0.8) / random.Between(6.0, 10.0);
        return (int)Math.Round(workstations * Math.Min(1, vacancy * random.Between(0.7, 1.3)));
    }

    private CarrierServices Services(DemoSlot slot, CarrierFocus focus, IndustrySet industries)
    {
        var incubator = slot.Type == CarrierType.Incubator;
        var national = slot.Rank == DemoRank.National;
        var specialised = focus == CarrierFocus.Specialised;
        var services = CarrierServices.None;
        void Maybe(CarrierServices service, double probability)
        {
            if (random.Chance(probability))
            {
                services |= service;
            }
        }

        Maybe(CarrierServices.RegisteredAddress, incubator ? 0.92 : 0.75);
        Maybe(CarrierServices.PolicyConsulting, 0.9);
        Maybe(CarrierServices.Mentoring, national ? 1 : incubator ? 0.7 : 0.85);
        Maybe(CarrierServices.IpLegalFinance, national ? 0.85 : 0.55);
        Maybe(CarrierServices.SeedFund, slot.Rank switch
        {
            DemoRank.National => incubator ? 0.85 : 0.5,
            DemoRank.Provincial => 0.4,
            DemoRank.Municipal => 0.2,
            _ => 0.1,
        });
        Maybe(CarrierServices.SharedLabs, specialised ? (incubator ? 0.7 : 0.4) : national && incubator ? 0.4 : 0.06);
        Maybe(CarrierServices.PilotProduction, !incubator ? 0.02
            : specialised && industries.Overlaps(PilotIndustries) ? 0.55
            : national ? 0.12 : 0.03);
        return services == CarrierServices.None ? CarrierServices.PolicyConsulting : services;
    }

    /// <summary>
    /// Enterprises in incubation at the rank's density and minimum, graduates a few percent of the residents per year
    /// since the first award (at least the rank's minimum), 5–15 jobs per enterprise, high-tech enterprises among graduates and residents.
    /// </summary>
    private TrackRecord Record(DemoSlot slot, CarrierFocus focus, double area, int firstAwardYear)
    {
        var specialised = focus == CarrierFocus.Specialised;
        var years = Today.Year - firstAwardYear + random.Between(1, 3);
        var thousands = area / 1000;
        int enterprises, graduated;
        if (slot.Type == CarrierType.Incubator)
        {
            var (density, minEnterprises, minGraduated) = slot.Rank switch
            {
                DemoRank.National => specialised ? (random.Between(2.0, 4.0), 30, 15) : (random.Between(3.0, 6.0), 50, 20),
                DemoRank.Provincial => (random.Between(2.0, 5.0), specialised ? 10 : 20, specialised ? 3 : 5),
                DemoRank.Municipal => (random.Between(2.0, 5.0), 10, 2),
                _ => (random.Between(2.0, 6.0), 5, 0),
            };
            enterprises = Math.Max(minEnterprises, (int)Math.Ceiling(thousands * density));
            graduated = Math.Max(minGraduated, (int)Math.Round(years * enterprises * random.Between(0.03, 0.08)));
        }
        else
        {
            // Teams and young companies; a national maker space admits at least 20 a year.
            enterprises = Math.Max(slot.Rank == DemoRank.National ? 20 : 10, (int)Math.Round(thousands * random.Between(15.0, 40.0)));
            graduated = (int)Math.Round(years * enterprises * random.Between(0.02, 0.08));
        }
        var highTech = Math.Min(graduated + enterprises,
            (int)Math.Round(graduated * random.Between(0.15, 0.6) + enterprises * random.Between(0.0, 0.12)));
        var jobs = (int)Math.Round(enterprises * random.Between(5.0, 15.0));
        return new TrackRecord(enterprises, graduated, highTech, jobs);
    }

    /// <summary>
    /// Incubators: company age (24 months, a few 36), the tech-SME test at national and provincial ones, a revenue cap
    /// (5 million for biomedicine), sometimes an R&amp;D staff share, and at a few national ones a decided project.
    /// Maker spaces welcome teams: rarely a rule.
    /// </summary>
    private List<EntryRule> Rules(DemoSlot slot, CarrierFocus focus, IndustrySet industries)
    {
        var rules = new List<EntryRule>(5);
        var specialised = focus == CarrierFocus.Specialised;
        if (slot.Type == CarrierType.MakerSpace)
        {
            var roll = random.NextDouble();
            if (roll < 0.10)
            {
                rules.Add(EntryRule.MaxLastYearRevenue(random.Chance(0.5) ? 1_000_000 : 2_000_000));
            }
            else if (roll < 0.15)
            {
                rules.Add(EntryRule.MaxCompanyAge(36));
            }
            return rules;
        }

        var national = slot.Rank == DemoRank.National;
        var age = random.NextDouble();
        if (age < 0.85 || (national && age < 0.95))
        {
            rules.Add(EntryRule.MaxCompanyAge(24));
        }
        else if (age < 0.95 || national)
        {
            rules.Add(EntryRule.MaxCompanyAge(36));
        }
        if (slot.Rank is DemoRank.National or DemoRank.Provincial || (slot.Rank == DemoRank.Municipal && random.Chance(0.3)))
        {
            rules.Add(EntryRule.TechSme());
        }
        var revenue = random.NextDouble();
        if (specialised && industries.Contains(Industries.Biomedicine))
        {
            rules.Add(EntryRule.MaxLastYearRevenue(5_000_000));
        }
        else if (revenue < 0.65)
        {
            rules.Add(EntryRule.MaxLastYearRevenue(2_000_000));
        }
        else if (revenue < 0.85)
        {
            rules.Add(EntryRule.MaxLastYearRevenue(3_000_000));
        }
        if (random.Chance(specialised ? 0.15 : 0.04))
        {
            rules.Add(EntryRule.MinRdStaffShare(random.Between(20, 30)));
        }
        if (national && random.Chance(0.12))
        {
            rules.Add(EntryRule.MinStage(StartupStage.Yellow));
        }
        return rules;
    }

    /// <summary>"西湖区文一西路998号", sometimes with a building: "…998号5幢".</summary>
    private string Address(DemoLocale locale)
    {
        var street = random.Pick(locale.Streets);
        var number = random.Between(1, 1999);
        return random.Chance(0.4)
            ? string.Create(CultureInfo.InvariantCulture, $"{locale.District.Name.Zh}{street}{number}号{random.Between(1, 12)}幢")
            : string.Create(CultureInfo.InvariantCulture, $"{locale.District.Name.Zh}{street}{number}号");
    }

    /// <summary>"杭州紫金港科技园管理有限公司".</summary>
    private string Operator(DemoLocale locale, DemoPlace place, bool incubator) =>
        locale.OperatorCity + place.Zh +
        random.Pick(incubator ? DemoVocabulary.IncubatorOperatorWords : DemoVocabulary.MakerSpaceOperatorWords) + "有限公司";
}
