using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;

namespace ServerlessInnovation.Tests.Domain;

public sealed class DemoCatalogTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static readonly Lazy<CatalogData> HangzhouCatalog = new(DemoCatalog.Hangzhou);
    private static readonly Lazy<CatalogData> NationalCatalog = new(() => DemoCatalog.National(20_000));

    private static IReadOnlyList<Carrier> Hangzhou => HangzhouCatalog.Value.Carriers;

    [Fact]
    public void HangzhouHas442CarriersOverItsThirteenDistricts()
    {
        var catalog = HangzhouCatalog.Value;

        Assert.Equal(442, catalog.Carriers.Count);
        Assert.Equal(HangzhouDistricts.All.Select(d => d.Code), catalog.Districts.Select(d => d.Code));
        Assert.All(catalog.Districts, d => Assert.Contains(catalog.Carriers, c => c.DistrictCode == d.Code));
    }

    [Fact]
    public void HangzhouHas48NationalIncubatorsAnd68NationalMakerSpaces()
    {
        var nationalIncubators = Hangzhou.Where(c => c.Type == CarrierType.Incubator && HasNationalAward(c)).ToList();
        var nationalMakerSpaces = Hangzhou.Where(c => c.Type == CarrierType.MakerSpace && HasNationalAward(c)).ToList();

        Assert.Equal(48, nationalIncubators.Count);
        Assert.Equal(68, nationalMakerSpaces.Count);
        Assert.All(nationalIncubators, c => Assert.Equal("科学技术部", NationalAward(c).IssuingBody));
        Assert.All(nationalMakerSpaces, c => Assert.Contains(NationalAward(c).IssuingBody, (string[])["科学技术部", "科技部火炬中心"]));
        Assert.Contains(nationalMakerSpaces, c => NationalAward(c).IssuingBody == "科技部火炬中心");
    }

    [Theory]
    [InlineData("杭州北部软件园", "gongshu")]
    [InlineData("银江孵化器", "xihu")]
    [InlineData("杭州师范大学科技园", "yuhang")]
    [InlineData("杭州湾信息港", "xiaoshan")]
    [InlineData("杭州天和高科技产业园", "xihu")]
    public void TheCarriersTheCityNamedAreNationalIncubators(string name, string district)
    {
        var carrier = Assert.Single(Hangzhou, c => c.Name == name);

        Assert.Equal(district, carrier.DistrictCode);
        Assert.Equal(CarrierType.Incubator, carrier.Type);
        Assert.True(HasNationalAward(carrier));
        Assert.StartsWith("杭州", carrier.Operator);
    }

    [Fact]
    public void HangzhouIsTheSameOnEveryCall()
    {
        var first = DemoCatalog.Hangzhou();
        var second = DemoCatalog.Hangzhou();

        Assert.NotSame(first.Carriers, second.Carriers);
        Assert.Equal(Canonical(first.Carriers), Canonical(second.Carriers));
        Assert.Equal(first.Carriers.Select(c => c.Id), second.Carriers.Select(c => c.Id));
    }

    /// <summary>
    /// Pins the generated data, so that a runtime, culture or platform that generated anything else would be caught.
    /// A deliberate change to the generator changes the fingerprint: update it here with the change.
    /// </summary>
    [Fact]
    public void HangzhouMatchesItsRecordedFingerprint()
    {
        Assert.Equal("f4a638a358fe1c4a993b273c5e1bdfb8709c791f31c94dd6eeda62b93423dccb", Fingerprint(Hangzhou));
    }

    [Fact]
    public void EveryHangzhouCarrierIsValid() => AssertValid(HangzhouCatalog.Value);

    [Fact]
    public void NationalIncubatorsFollowTheCitysDistrictSpread()
    {
        var byDistrict = Hangzhou.Where(c => c.Type == CarrierType.Incubator && HasNationalAward(c))
            .GroupBy(c => c.DistrictCode).ToDictionary(g => g.Key, g => g.Count());

        var expected = new Dictionary<string, int>
        {
            ["binjiang"] = 12, ["yuhang"] = 7, ["shangcheng"] = 5, ["xihu"] = 5, ["gongshu"] = 4, ["xiaoshan"] = 4,
            ["qiantang"] = 4, ["linping"] = 3, ["linan"] = 2, ["fuyang"] = 1, ["tonglu"] = 1,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), byDistrict.OrderBy(p => p.Key));
        Assert.All(byDistrict.Where(p => p.Key != "binjiang"), p => Assert.True(p.Value < byDistrict["binjiang"], p.Key));
    }

    [Theory]
    [InlineData("chunan")]
    [InlineData("jiande")]
    [InlineData("tonglu")]
    public void RuralCountiesHaveFewCarriers(string district)
    {
        var count = Hangzhou.Count(c => c.DistrictCode == district);

        Assert.InRange(count, 1, 10);
        Assert.True(count * 5 < Hangzhou.Count(c => c.DistrictCode == "binjiang"));
    }

    [Fact]
    public void AboutOneCarrierInTwelveIsFull()
    {
        Assert.InRange(ShareOf(Hangzhou, IsFull), 0.04, 0.12);
        Assert.InRange(ShareOf(NationalCatalog.Value.Carriers, IsFull), 0.04, 0.12);
    }

    [Fact]
    public void AboutAQuarterOfIncubatorsAreSpecialised()
    {
        static bool Specialised(Carrier c) => c.Focus == CarrierFocus.Specialised;

        Assert.InRange(ShareOf(Hangzhou.Where(c => c.Type == CarrierType.Incubator), Specialised), 0.25, 0.30);
        Assert.InRange(ShareOf(NationalCatalog.Value.Carriers.Where(c => c.Type == CarrierType.Incubator), Specialised), 0.25, 0.32);
        Assert.InRange(ShareOf(Hangzhou.Where(c => c.Type == CarrierType.MakerSpace), Specialised), 0.05, 0.25);
    }

    [Fact]
    public void SpecialisedCarriersFollowTheirDistrictsIndustries()
    {
        bool SpecialisedIn(string district, Industry industry) => Hangzhou.Any(c =>
            c.DistrictCode == district && c.Type == CarrierType.Incubator && c.Focus == CarrierFocus.Specialised && c.Industries.Contains(industry));

        Assert.True(SpecialisedIn("qiantang", Industries.Biomedicine));
        Assert.Contains(Hangzhou, c => c.DistrictCode == "qiantang" && c.Name.Contains("医药港", StringComparison.Ordinal));
        Assert.True(SpecialisedIn("binjiang", Industries.ArtificialIntelligence) || SpecialisedIn("binjiang", Industries.DigitalEconomy));
        Assert.True(SpecialisedIn("yuhang", Industries.ArtificialIntelligence) || SpecialisedIn("yuhang", Industries.DigitalEconomy));
        Assert.True(SpecialisedIn("xiaoshan", Industries.AdvancedManufacturing) || SpecialisedIn("linping", Industries.AdvancedManufacturing));
        Assert.Contains(Hangzhou, c => c.DistrictCode is "chunan" or "jiande" && c.Industries.Contains(Industries.ModernAgriculture));
        Assert.Contains(Hangzhou, c => c.Industries.Contains(Industries.CulturalCreative) &&
            (c.Name.Contains("玉皇山南", StringComparison.Ordinal) || c.Name.Contains("良渚", StringComparison.Ordinal)));
    }

    [Fact]
    public void AwardsSpanBothRegimesAndShowHistories()
    {
        var awards = Hangzhou.SelectMany(c => c.Tiers).ToList();
        var miit = awards.Where(a => a.LevelCode is "standard" or "excellent").ToList();

        Assert.Contains(miit, a => a.LevelCode == "standard");
        Assert.Contains(miit, a => a.LevelCode == "excellent");
        Assert.InRange(miit.Count, 3, 20);
        Assert.All(miit, a => Assert.Equal("工业和信息化部", a.IssuingBody));
        Assert.All(miit, a => Assert.InRange(a.AwardedOn, new DateOnly(2025, 1, 1), Today));
        Assert.Contains(awards, a => a.LevelCode == "provincial" && a.IssuingBody == "浙江省科学技术厅");
        Assert.Contains(awards, a => a.LevelCode == "municipal" && a.IssuingBody == "杭州市科学技术局");
        Assert.Contains(awards, a => a.LevelCode == "district" && a.IssuingBody == "西湖区科学技术局");
        Assert.All(Hangzhou, c => Assert.All(c.Tiers.Where(a => a.LevelCode == "district"),
            a => Assert.Equal(HangzhouDistricts.Get(c.DistrictCode).Name.Zh + "科学技术局", a.IssuingBody)));

        // Upgrades: a lower award first, a higher one later (municipal 2012, then national 2018).
        Assert.True(Hangzhou.Count(c => c.Tiers.Count >= 2 && c.Tiers[0].AwardedOn < c.Tiers[1].AwardedOn &&
            Tiers.Find(c.Tiers[0].LevelCode)!.Prestige < Tiers.Find(c.Tiers[1].LevelCode)!.Prestige) >= 20);
        var expired = awards.Count(a => a.ValidUntil < Today);
        Assert.InRange(expired, 3, 60);
        Assert.InRange(Hangzhou.Count(c => c.TierOn(Today) is null), 1, 20);
    }

    [Fact]
    public void EntryRulesFollowTheUsualPatterns()
    {
        var incubators = Hangzhou.Where(c => c.Type == CarrierType.Incubator).ToList();
        var makerSpaces = Hangzhou.Where(c => c.Type == CarrierType.MakerSpace).ToList();
        static bool Has(Carrier c, EntryRule rule) => c.EntryRules.Contains(rule);

        Assert.InRange(ShareOf(incubators, c => Has(c, EntryRule.MaxCompanyAge(24))), 0.75, 0.95);
        Assert.Contains(incubators, c => Has(c, EntryRule.MaxCompanyAge(36)));
        Assert.All(incubators.Where(c => RankOf(c) is "national" or "provincial"), c => Assert.True(Has(c, EntryRule.TechSme()), c.Id));
        Assert.InRange(ShareOf(incubators, c => Has(c, EntryRule.MaxLastYearRevenue(2_000_000))), 0.5, 0.8);
        Assert.Contains(incubators, c => Has(c, EntryRule.MaxLastYearRevenue(3_000_000)));
        var biomedicineCapped = incubators.Where(c => Has(c, EntryRule.MaxLastYearRevenue(5_000_000))).ToList();
        Assert.NotEmpty(biomedicineCapped);
        Assert.All(biomedicineCapped, c => Assert.True(c.Industries.Contains(Industries.Biomedicine), c.Id));
        Assert.InRange(incubators.Count(c => c.EntryRules.Any(r => r.Kind == EntryRuleKind.MinRdStaffSharePercent)), 3, 30);
        Assert.All(Hangzhou.SelectMany(c => c.EntryRules).Where(r => r.Kind == EntryRuleKind.MinRdStaffSharePercent),
            r => Assert.InRange(r.Value, 20, 30));
        var staged = Hangzhou.Where(c => c.EntryRules.Any(r => r.Kind == EntryRuleKind.MinStage)).ToList();
        Assert.InRange(staged.Count, 1, 12);
        Assert.All(staged, c => Assert.Equal("national", RankOf(c)));

        Assert.InRange(ShareOf(makerSpaces, c => c.EntryRules.Count == 0), 0.75, 0.95);
        Assert.All(makerSpaces, c => Assert.True(c.EntryRules.Count <= 1, c.Id));
    }

    [Fact]
    public void ServicesArePlausible()
    {
        bool Offers(Carrier c, CarrierServices service) => (c.Services & service) != 0;
        var nationalIncubators = Hangzhou.Where(c => c.Type == CarrierType.Incubator && HasNationalAward(c)).ToList();
        var specialisedIncubators = Hangzhou.Where(c => c.Type == CarrierType.Incubator && c.Focus == CarrierFocus.Specialised).ToList();
        var others = Hangzhou.Where(c => c.Focus == CarrierFocus.Comprehensive && !HasNationalAward(c)).ToList();

        Assert.All(Hangzhou, c => Assert.NotEqual(CarrierServices.None, c.Services));
        Assert.InRange(ShareOf(Hangzhou, c => Offers(c, CarrierServices.RegisteredAddress)), 0.75, 0.95);
        Assert.InRange(ShareOf(Hangzhou, c => Offers(c, CarrierServices.PolicyConsulting)), 0.8, 0.97);
        Assert.InRange(ShareOf(nationalIncubators, c => Offers(c, CarrierServices.SeedFund)), 0.7, 1);
        Assert.True(ShareOf(specialisedIncubators, c => Offers(c, CarrierServices.SharedLabs)) > 3 * ShareOf(others, c => Offers(c, CarrierServices.SharedLabs)));
        Assert.True(ShareOf(specialisedIncubators, c => Offers(c, CarrierServices.PilotProduction)) > 3 * ShareOf(others, c => Offers(c, CarrierServices.PilotProduction)));
    }

    [Fact]
    public void NamesAddressesAndOperatorsReadLikeHangzhous()
    {
        var districts = HangzhouDistricts.All.ToDictionary(d => d.Code);

        Assert.All(Hangzhou, c =>
        {
            Assert.Matches(@"^[\p{IsCJKUnifiedIdeographs}0-9A-Z·]+$", c.Name);
            Assert.Matches(@"^[\p{IsCJKUnifiedIdeographs}0-9]+号([0-9]+幢)?$", c.Address);
            Assert.StartsWith(districts[c.DistrictCode].Name.Zh, c.Address);
            Assert.Matches(@"^杭州[\p{IsCJKUnifiedIdeographs}]+有限公司$", c.Operator);
        });
        Assert.All(Hangzhou.Where(c => c.Type == CarrierType.MakerSpace), c => Assert.DoesNotContain("孵化器", c.Name));
        Assert.All(Hangzhou.Where(c => c.Type == CarrierType.Incubator), c => Assert.DoesNotContain("众创空间", c.Name));
        Assert.Contains(Hangzhou, c => c.Name.StartsWith("未来科技城", StringComparison.Ordinal));
        Assert.Contains(Hangzhou, c => c.Name.StartsWith("紫金港", StringComparison.Ordinal));
        Assert.Contains(Hangzhou, c => c.Name.EndsWith("众创空间", StringComparison.Ordinal));
        Assert.Contains(Hangzhou, c => c.Name.EndsWith("科技企业孵化器", StringComparison.Ordinal));
    }

    [Fact]
    public void MakerSpacesLetWorkstationsAndIncubatorsLetArea()
    {
        var open = Hangzhou.Where(c => !IsFull(c)).ToList();

        Assert.InRange(ShareOf(open.Where(c => c.Type == CarrierType.MakerSpace), c => c.FreeWorkstations > 0), 0.9, 1);
        Assert.InRange(ShareOf(open.Where(c => c.Type == CarrierType.Incubator), c => c.FreeWorkstations == 0), 0.6, 0.9);
        Assert.All(Hangzhou.Where(c => c.Type == CarrierType.Incubator), c => Assert.InRange(c.FreeWorkstations, 0, 20));
        Assert.All(open, c => Assert.True(c.FreeAreaM2 > 0, c.Id));
    }

    [Fact]
    public void HangzhouSpaceTotalsLowMillionsOfSquareMetres()
    {
        var total = Hangzhou.Sum(c => c.TotalAreaM2);
        var nationalIncubatorArea = Hangzhou.Where(c => c.Type == CarrierType.Incubator && HasNationalAward(c)).Sum(c => c.TotalAreaM2);

        Assert.InRange(total, 1_500_000, 5_000_000);
        Assert.InRange(nationalIncubatorArea / total, 0.3, 0.7);
        Assert.InRange(Hangzhou.Sum(c => c.FreeAreaM2) / total, 0.08, 0.25);
    }

    [Fact]
    public void TheMatcherAcceptsTheCatalogs()
    {
        var index = MatchIndex.Build(Hangzhou, HangzhouCatalog.Value.Districts, DemoCatalog.ReferenceDay);
        var national = MatchIndex.Build(NationalCatalog.Value.Carriers, NationalCatalog.Value.Districts, DemoCatalog.ReferenceDay);

        Assert.Equal(442, index.Count);
        Assert.Equal(20_000, national.Count);
        Assert.Equal(Today, DemoCatalog.ReferenceDay);
    }

    [Fact]
    public void NationalHas20000CarriersOverSyntheticCitiesAndHangzhou()
    {
        var catalog = NationalCatalog.Value;
        var districtCodes = catalog.Districts.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
        var synthetic = catalog.Districts.Where(d => d.CityCode != HangzhouDistricts.CityCode).ToList();

        Assert.Equal(20_000, catalog.Carriers.Count);
        Assert.Equal(20_000, catalog.Carriers.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(catalog.Carriers, c => Assert.Contains(c.DistrictCode, districtCodes));
        Assert.All(HangzhouDistricts.All, d => Assert.Contains(d, catalog.Districts));
        Assert.Equal(300, synthetic.Select(d => d.CityCode).Distinct().Count());
        Assert.InRange(synthetic.Count, 1_200, 2_400);
        Assert.All(synthetic, d =>
        {
            Assert.Matches(@"^c\d{3}-d\d{2}$", d.Code);
            Assert.Matches(@"^城市\d{3}·区\d+$", d.Name.Zh);
            Assert.Matches(@"^City \d{3} District \d+$", d.Name.En);
            Assert.InRange(d.Centre.Latitude, 19.5, 46.5);
            Assert.InRange(d.Centre.Longitude, 97.5, 124.5);
        });

        // A few to a few dozen carriers per district.
        var perDistrict = catalog.Carriers.Where(c => !IsInHangzhou(c)).GroupBy(c => c.DistrictCode).Select(g => g.Count()).ToList();
        Assert.InRange(perDistrict.Average(), 5, 20);
        Assert.InRange(perDistrict.Max(), 20, 100);
        Assert.InRange((double)perDistrict.Count / synthetic.Count, 0.95, 1);

        // Hangzhou is the Hangzhou catalog itself.
        Assert.Equal(Canonical(Hangzhou), Canonical(catalog.Carriers.Where(IsInHangzhou).ToList()));
    }

    [Fact]
    public void EveryNationalCarrierIsValid() => AssertValid(NationalCatalog.Value);

    [Fact]
    public void ASmallNationalCatalogIsValid()
    {
        var catalog = DemoCatalog.National(500);

        Assert.Equal(500, catalog.Carriers.Count);
        Assert.Equal(58, catalog.Carriers.Count(c => !IsInHangzhou(c)));
        Assert.Equal(NationalCatalog.Value.Districts, catalog.Districts);
        AssertValid(catalog);
    }

    [Fact]
    public void NationalIsTheSameOnEveryCall()
    {
        Assert.Equal(Canonical(DemoCatalog.National(3_000).Carriers), Canonical(DemoCatalog.National(3_000).Carriers));
        Assert.Equal("445d08cd02c47de15d3e183bfe2e355ccdf354a61ff53a6f3fbdfdcd4f89543b", Fingerprint(DemoCatalog.National(3_000).Carriers));
    }

    [Fact]
    public void NationalMakesRoomForHangzhou()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCatalog.National(441));
        Assert.Equal(442, DemoCatalog.National(442).Carriers.Count);
    }

    private static void AssertValid(CatalogData catalog)
    {
        var districts = catalog.Districts.ToDictionary(d => d.Code, StringComparer.Ordinal);
        Assert.All(catalog.Districts, d => Assert.True(Carrier.IsValidId(d.Code), d.Code));
        Assert.Equal(catalog.Carriers.Select(c => c.Id).Order(StringComparer.Ordinal), catalog.Carriers.Select(c => c.Id));
        Assert.Equal(catalog.Carriers.Count, catalog.Carriers.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(catalog.Carriers.Count, catalog.Carriers.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());

        Assert.All(catalog.Carriers, c =>
        {
            Assert.True(Carrier.IsValidId(c.Id), c.Id);
            Assert.True(districts.TryGetValue(c.DistrictCode, out var district), c.Id);
            Assert.Matches("^" + Regex.Escape(c.DistrictCode) + @"-\d{3}$", c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.Name));

            Assert.InRange(c.FreeAreaM2, 0, c.TotalAreaM2);
            Assert.True(c.FreeWorkstations >= 0, c.Id);
            Assert.True(c.FreeAreaM2 > 0 || c.FreeWorkstations == 0, c.Id);
            Assert.True(c.Location.IsValid, c.Id);
            Assert.InRange(c.Location.ApproximateKmFrom(district!.Centre), 0, 60);
            Assert.All(c.EntryRules, r => Assert.True(r.IsValid, $"{c.Id}: {r}"));
            Assert.NotEqual(CarrierServices.None, c.Services);

            Assert.NotEmpty(c.Tiers);
            Assert.All(c.Tiers, a =>
            {
                Assert.NotNull(Tiers.Find(a.LevelCode));
                Assert.False(string.IsNullOrWhiteSpace(a.IssuingBody));
                Assert.InRange(a.AwardedOn, new DateOnly(2005, 1, 1), Today);
                Assert.True(a.ValidUntil is null || a.ValidUntil >= a.AwardedOn, c.Id);
            });

            var industries = c.Industries.Members.ToList();
            if (c.Focus == CarrierFocus.Specialised)
            {
                Assert.InRange(industries.Count, 1, 2);
                Assert.True(industries.Count == 1 || Industries.RelatedTo(industries[0]).Contains(industries[1]), c.Id);
            }
            else
            {
                Assert.InRange(industries.Count, 0, 4);
            }

            var record = c.TrackRecord;
            Assert.InRange(record.HighTechEnterprises, 0, record.Graduated + record.EnterprisesInIncubation);
            Assert.InRange(record.Jobs, 5 * record.EnterprisesInIncubation, 15 * record.EnterprisesInIncubation);
            AssertMeetsThresholds(c);
        });
    }

    /// <summary>The thresholds of the carrier's highest rank on the 2018 ladder (domain reference §1.1, §1.5, §1.6).</summary>
    private static void AssertMeetsThresholds(Carrier c)
    {
        var specialised = c.Focus == CarrierFocus.Specialised;
        var record = c.TrackRecord;
        if (c.Type == CarrierType.MakerSpace)
        {
            // ≥ 500 m² or ≥ 30 workstations; total workstations are not part of the model, so every demo maker space has the area.
            Assert.True(c.TotalAreaM2 >= 500, c.Id);
            if (RankOf(c) == "national")
            {
                Assert.True(record.EnterprisesInIncubation >= 20, c.Id);
            }
            return;
        }

        switch (RankOf(c))
        {
            case "national":
                Assert.True(c.TotalAreaM2 >= (specialised ? 5_000 : 10_000), c.Id);
                Assert.True(record.EnterprisesInIncubation >= (specialised ? 30 : 50), c.Id);
                Assert.True(record.EnterprisesInIncubation >= (specialised ? 2 : 3) * c.TotalAreaM2 / 1000, c.Id);
                Assert.True(record.Graduated >= (specialised ? 15 : 20), c.Id);
                Assert.NotNull(c.TierOn(Today));
                break;
            case "provincial":
                Assert.True(c.TotalAreaM2 >= 3_000, c.Id);
                Assert.True(record.EnterprisesInIncubation >= (specialised ? 10 : 20), c.Id);
                Assert.True(record.Graduated >= (specialised ? 3 : 5), c.Id);
                break;
            case "municipal":
                Assert.True(c.TotalAreaM2 >= 2_000, c.Id);
                break;
            default:
                Assert.True(c.TotalAreaM2 >= 500, c.Id);
                break;
        }
    }

    private static bool IsInHangzhou(Carrier c) => HangzhouDistricts.All.Any(d => d.Code == c.DistrictCode);

    private static bool HasNationalAward(Carrier c) => c.Tiers.Any(a => a.LevelCode == "national");

    private static TierAward NationalAward(Carrier c) => Assert.Single(c.Tiers, a => a.LevelCode == "national");

    /// <summary>The highest level on the 2018 ladder the carrier was ever awarded (the MIIT tiers aside).</summary>
    private static string RankOf(Carrier c) =>
        ((string[])["national", "provincial", "municipal", "district"]).First(level => c.Tiers.Any(a => a.LevelCode == level));

    private static bool IsFull(Carrier c) => c.FreeAreaM2 == 0 && c.FreeWorkstations == 0;

    private static double ShareOf(IEnumerable<Carrier> carriers, Func<Carrier, bool> predicate)
    {
        var list = carriers.ToList();
        return (double)list.Count(predicate) / list.Count;
    }

    /// <summary>Every field of every carrier, one line each, in invariant formatting (doubles round-trip).</summary>
    private static string Canonical(IReadOnlyList<Carrier> carriers)
    {
        var text = new StringBuilder();
        foreach (var c in carriers)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{c.Id}|{c.Name}|{c.Type}|{c.Focus}|{c.DistrictCode}|{c.Address}|{c.Location.Latitude:R}|{c.Location.Longitude:R}|");
            text.Append(CultureInfo.InvariantCulture,
                $"{c.TotalAreaM2:R}|{c.FreeAreaM2:R}|{c.FreeWorkstations}|{c.Industries.Mask}|{(int)c.Services}|");
            text.Append(CultureInfo.InvariantCulture,
                $"{c.TrackRecord.EnterprisesInIncubation},{c.TrackRecord.Graduated},{c.TrackRecord.HighTechEnterprises},{c.TrackRecord.Jobs}|");
            foreach (var a in c.Tiers)
            {
                text.Append(CultureInfo.InvariantCulture, $"{a.LevelCode},{a.IssuingBody},{a.AwardedOn:yyyy-MM-dd},{a.ValidUntil:yyyy-MM-dd};");
            }
            text.Append('|');
            foreach (var r in c.EntryRules)
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.KindCode()}={r.Value};");
            }
            text.Append('|').Append(c.Operator).Append('\n');
        }
        return text.ToString();
    }

    private static string Fingerprint(IReadOnlyList<Carrier> carriers) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(carriers))));
}
