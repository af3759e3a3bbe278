using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Tests.Domain;

public sealed class MatchIndexTests
{
    private static MatchOutcome Match(IEnumerable<Carrier> carriers, StartupProfile profile, MatchingPolicy? policy = null, int top = 10) =>
        MatchIndex.Build(carriers, HangzhouDistricts.All, Build.Today).Match(profile, Build.Today, policy ?? MatchingPolicy.Default, top);

    private static IEnumerable<string> Ids(MatchOutcome outcome) => outcome.Matches.Select(m => m.Carrier.Id);

    [Fact]
    public void CompanyOlderThanAnAgeRuleIsExcludedAndTheThresholdIsReported()
    {
        var carriers = new[]
        {
            Build.Carrier("a") with { EntryRules = [EntryRule.MaxCompanyAge(24)] },
            Build.Carrier("b") with { EntryRules = [EntryRule.MaxCompanyAge(36)] },
            Build.Carrier("c"),
        };

        var outcome = Match(carriers, Build.Profile() with { RegisteredOn = Build.Today.AddMonths(-30) });

        Assert.Equal(["b", "c"], Ids(outcome).Order());
        var exclusion = Assert.Single(outcome.Exclusions);
        Assert.Equal(("max-company-age-months", (long?)24, 1), (exclusion.Code, exclusion.Threshold, exclusion.Count));
        Assert.Equal("成立时间超过24个月", exclusion.Reason.Zh);
        Assert.Equal("Company older than 24 months", exclusion.Reason.En);
        Assert.Equal((3, 2, 1), (outcome.Considered, outcome.Eligible, outcome.Excluded));
    }

    [Fact]
    public void ACarrierFailingSeveralRulesCountsUnderEachReason()
    {
        var carrier = Build.Carrier("a") with { EntryRules = [EntryRule.MaxCompanyAge(24), EntryRule.MaxLastYearRevenue(2_000_000)] };

        var outcome = Match([carrier], Build.Profile() with { RegisteredOn = Build.Today.AddYears(-3), LastYearRevenueCny = 3_000_000 });

        Assert.Empty(outcome.Matches);
        Assert.Equal(1, outcome.Excluded);
        Assert.Equal(["max-company-age-months", "max-last-year-revenue-cny"], outcome.Exclusions.Select(e => e.Code).Order());
        Assert.Contains(outcome.Exclusions, e => e.Reason.Zh == "上年度营业收入超过200万元");
    }

    [Fact]
    public void TheStrictestOfTwoRulesOfOneKindDecides()
    {
        var carrier = Build.Carrier("a") with { EntryRules = [EntryRule.MaxCompanyAge(36), EntryRule.MaxCompanyAge(12)] };

        var outcome = Match([carrier], Build.Profile() with { RegisteredOn = Build.Today.AddMonths(-18) });

        Assert.Equal(12, Assert.Single(outcome.Exclusions).Threshold);
    }

    [Fact]
    public void FailingTheTechSmeTestExcludesOnlyCarriersThatRequireIt()
    {
        var carriers = new[] { Build.Carrier("strict") with { EntryRules = [EntryRule.TechSme()] }, Build.Carrier("open") };

        var outcome = Match(carriers, Build.Profile() with { RdStaffSharePercent = 5 });

        Assert.Equal(["open"], Ids(outcome));
        var exclusion = Assert.Single(outcome.Exclusions);
        Assert.Equal(("tech-sme-required", (long?)null), (exclusion.Code, exclusion.Threshold));
        Assert.Equal(TechSmeStatus.NotQualified, outcome.TechSme.Status);
    }

    [Fact]
    public void AnUnregisteredTeamIsAdmittedButToldAboutTheTechSmeTest()
    {
        var carrier = Build.Carrier("a") with { EntryRules = [EntryRule.TechSme(), EntryRule.MaxCompanyAge(24)] };

        var outcome = Match([carrier], Build.Profile() with { Stage = StartupStage.Green, RegisteredOn = null });

        var match = Assert.Single(outcome.Matches);
        Assert.Contains(match.Reasons, r => r.Zh.Contains("科技型中小企业", StringComparison.Ordinal) && r.Zh.Contains("注册后", StringComparison.Ordinal));
    }

    [Fact]
    public void StageAndRdShareRulesAreThresholds()
    {
        var carriers = new[]
        {
            Build.Carrier("red-only") with { EntryRules = [EntryRule.MinStage(StartupStage.Red)] },
            Build.Carrier("rd-heavy") with { EntryRules = [EntryRule.MinRdStaffShare(50)] },
            Build.Carrier("rd-light") with { EntryRules = [EntryRule.MinRdStaffShare(30)] },
        };

        var outcome = Match(carriers, Build.Profile() with { Stage = StartupStage.Yellow, RdStaffSharePercent = 40 });

        Assert.Equal(["rd-light"], Ids(outcome));
        Assert.Contains(outcome.Exclusions, e => e is { Code: "min-stage", Threshold: 3 });
        Assert.Contains(outcome.Exclusions, e => e is { Code: "min-rd-staff-share-percent", Threshold: 50 });
    }

    [Fact]
    public void SpecialisedCarriersTakeOnlyTheirOwnOrRelatedIndustries()
    {
        var carriers = new[]
        {
            Build.Carrier("bio") with { Focus = CarrierFocus.Specialised, Industries = IndustrySet.Of(Industries.Biomedicine) },
            Build.Carrier("it") with { Focus = CarrierFocus.Specialised, Industries = IndustrySet.Of(Industries.NextGenerationIt) },
            Build.Carrier("general") with { Industries = IndustrySet.Of(Industries.NewMaterials) },
        };

        var outcome = Match(carriers, Build.Profile());

        Assert.Equal(["general", "it"], Ids(outcome).Order());
        Assert.Equal("industry-outside-focus", Assert.Single(outcome.Exclusions).Code);
        double IndustryValue(string id) => outcome.Matches.Single(m => m.Carrier.Id == id).Parts.Single(p => p.Criterion == MatchCriterion.Industry).Value;
        Assert.Equal(Scoring.RelatedIndustryFit, IndustryValue("it"));
        Assert.Equal(Scoring.GeneralIndustryFit, IndustryValue("general"));
    }

    [Fact]
    public void ACarrierWithLessFreeSpaceThanNeededIsExcluded()
    {
        var carriers = new[] { Build.Carrier("small") with { FreeAreaM2 = 99 }, Build.Carrier("fits") with { FreeAreaM2 = 100 } };

        var outcome = Match(carriers, Build.Profile() with { Space = SpaceNeed.Area(100) });

        Assert.Equal(["fits"], Ids(outcome));
        Assert.Equal(("no-vacancy", "空余面积不足100平方米"), (outcome.Exclusions[0].Code, outcome.Exclusions[0].Reason.Zh));
        Assert.Equal(0, outcome.Matches[0].Parts.Single(p => p.Criterion == MatchCriterion.Vacancy).Value);
    }

    [Fact]
    public void WorkstationsAreMetByFreeDesksOrByAreaAtTheConfiguredSizeEach()
    {
        var carriers = new[]
        {
            Build.Carrier("desks") with { FreeAreaM2 = 0, FreeWorkstations = 6 },
            Build.Carrier("area") with { FreeAreaM2 = 48, FreeWorkstations = 0 },
            Build.Carrier("neither") with { FreeAreaM2 = 47, FreeWorkstations = 5 },
        };

        var outcome = Match(carriers, Build.Profile() with { Space = SpaceNeed.Desks(6) }, MatchingPolicy.Default with { AreaPerWorkstationM2 = 8 });

        Assert.Equal(["area", "desks"], Ids(outcome).Order());
    }

    [Fact]
    public void CarrierTypesNarrowTheSearch()
    {
        var carriers = new[] { Build.Carrier("inc"), Build.Carrier("space") with { Type = CarrierType.MakerSpace } };

        var outcome = Match(carriers, Build.Profile() with { CarrierTypes = [CarrierType.MakerSpace] });

        Assert.Equal(["space"], Ids(outcome));
        Assert.Equal("type-not-wanted", Assert.Single(outcome.Exclusions).Code);
    }

    [Fact]
    public void EqualScoresAreOrderedById()
    {
        var outcome = Match([Build.Carrier("c-1"), Build.Carrier("a-1"), Build.Carrier("b-1")], Build.Profile());

        Assert.Equal(["a-1", "b-1", "c-1"], Ids(outcome));
        Assert.Equal(outcome.Matches[0].Score, outcome.Matches[2].Score);
    }

    [Fact]
    public void TopKeepsTheBestAndSaysHowManyWereEligible()
    {
        var carriers = Enumerable.Range(0, 30).Select(i => Build.Carrier($"c{i:d2}") with { FreeAreaM2 = 100 + i * 10 }).ToList();

        var outcome = Match(carriers, Build.Profile(), top: 5);

        // More headroom scores higher; all else is equal.
        Assert.Equal(["c29", "c28", "c27", "c26", "c25"], Ids(outcome));
        Assert.Equal(30, outcome.Eligible);
        Assert.True(outcome.Matches.Zip(outcome.Matches.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score));
    }

    [Fact]
    public void TheScoreIsTheSumOfItsParts()
    {
        var outcome = Match([Build.Carrier("a") with { FreeAreaM2 = 250, Services = CarrierServices.Mentoring }],
            Build.Profile() with { WantedServices = CarrierServices.Mentoring | CarrierServices.SeedFund, Location = new GeoPoint(30.30, 120.10) });

        var match = Assert.Single(outcome.Matches);
        Assert.Equal(match.Score, match.Parts.Sum(p => p.Points), precision: 9);
        Assert.Equal(6, match.Parts.Count);
        Assert.Equal(0.5, match.Parts.Single(p => p.Criterion == MatchCriterion.Services).Value);
        Assert.Equal(0.5, match.Parts.Single(p => p.Criterion == MatchCriterion.Vacancy).Value);
        Assert.Contains("缺少：种子基金与投融资", match.Parts.Single(p => p.Criterion == MatchCriterion.Services).Explanation.Zh);
    }

    [Fact]
    public void TheNearerOfTwoOtherwiseEqualCarriersRanksFirst()
    {
        var origin = new GeoPoint(30.2595, 120.1300);
        var carriers = new[]
        {
            Build.Carrier("far") with { Location = new GeoPoint(30.40, 120.13) },
            Build.Carrier("near") with { Location = new GeoPoint(30.27, 120.13) },
        };

        var outcome = Match(carriers, Build.Profile() with { Location = origin });

        Assert.Equal(["near", "far"], Ids(outcome));
        Assert.InRange(outcome.Matches[0].DistanceKm!.Value, 1.1, 1.2);
        Assert.StartsWith("距您约1.2公里", outcome.Matches[0].Parts.Single(p => p.Criterion == MatchCriterion.Proximity).Explanation.Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void APreferredDistrictGivesFullProximityAndTheSameCitySome()
    {
        var carriers = new[] { Build.Carrier("in-xihu", "xihu"), Build.Carrier("in-binjiang", "binjiang") };

        var outcome = Match(carriers, Build.Profile() with { PreferredDistricts = ["xihu"] });

        double Proximity(string id) => outcome.Matches.Single(m => m.Carrier.Id == id).Parts.Single(p => p.Criterion == MatchCriterion.Proximity).Value;
        Assert.Equal(1, Proximity("in-xihu"));
        Assert.Equal(Scoring.SameCityProximity, Proximity("in-binjiang"));
        Assert.Contains(outcome.Matches[0].Reasons, r => r.Zh == "位于您首选的西湖区");
    }

    [Fact]
    public void OnlyTierAwardsInForceCount()
    {
        var carrier = Build.Carrier("a") with
        {
            Tiers =
            [
                new TierAward(Tiers.National.Code, "科学技术部", new DateOnly(2010, 1, 1), new DateOnly(2025, 12, 31)),
                new TierAward(Tiers.Provincial.Code, "浙江省科学技术厅", new DateOnly(2012, 1, 1)),
                new TierAward(Tiers.Excellent.Code, "工业和信息化部", new DateOnly(2027, 1, 1)),
            ],
        };

        var match = Assert.Single(Match([carrier], Build.Profile()).Matches);

        Assert.Equal(Tiers.Provincial, match.Tier);
        Assert.Equal(Tiers.Provincial.Prestige, match.Parts.Single(p => p.Criterion == MatchCriterion.Tier).Value);
    }

    [Fact]
    public void TheWeightsDecideWhichCriterionLeads()
    {
        var carriers = new[]
        {
            Build.Carrier("national-far") with { Location = new GeoPoint(30.45, 120.13), Tiers = [new TierAward(Tiers.National.Code, "科学技术部", new DateOnly(2018, 1, 1))] },
            Build.Carrier("district-near") with { Location = new GeoPoint(30.26, 120.13), Tiers = [new TierAward(Tiers.District.Code, "西湖区科学技术局", new DateOnly(2018, 1, 1))] },
        };
        var profile = Build.Profile() with { Location = new GeoPoint(30.2595, 120.1300) };

        var byTier = Match(carriers, profile, MatchingPolicy.Default with { Weights = new MatchWeights(0, 0, 0, 0, 1, 0) });
        var byDistance = Match(carriers, profile, MatchingPolicy.Default with { Weights = new MatchWeights(0, 1, 0, 0, 0, 0) });

        Assert.Equal("national-far", byTier.Matches[0].Carrier.Id);
        Assert.Equal("district-near", byDistance.Matches[0].Carrier.Id);
    }

    [Fact]
    public void WeightsThatDoNotAddUpToOneAreRejected()
    {
        Assert.Empty(MatchingPolicy.Default.Validate());
        Assert.Contains(new MatchWeights(0.5, 0.5, 0.5, 0, 0, 0).Validate(), p => p.Contains("add up to 1", StringComparison.Ordinal));
        Assert.Contains(new MatchWeights(-0.1, 0.5, 0.6, 0, 0, 0).Validate(), p => p.Contains("between 0 and 1", StringComparison.Ordinal));
        Assert.NotEmpty((MatchingPolicy.Default with { ProximityRadiusKm = 0 }).Validate());
    }

    [Fact]
    public void TheIndexRefusesDuplicateIdsAndUnknownDistricts()
    {
        Assert.Throws<ArgumentException>(() => MatchIndex.Build([Build.Carrier("a"), Build.Carrier("a")], HangzhouDistricts.All, Build.Today));
        Assert.Throws<ArgumentException>(() => MatchIndex.Build([Build.Carrier("a") with { DistrictCode = "atlantis" }], HangzhouDistricts.All, Build.Today));
    }

    [Fact]
    public void TopOutsideOneToTheMaximumIsRefused()
    {
        var index = MatchIndex.Build([Build.Carrier("a")], HangzhouDistricts.All, Build.Today);

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Match(Build.Profile(), Build.Today, MatchingPolicy.Default, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Match(Build.Profile(), Build.Today, MatchingPolicy.Default, MatchIndex.MaxTop + 1));
    }

    [Fact]
    public void PagingPositionsFollowIdOrder()
    {
        var index = MatchIndex.Build([Build.Carrier("b"), Build.Carrier("d"), Build.Carrier("a")], HangzhouDistricts.All, Build.Today);

        Assert.Equal(["a", "b", "d"], index.Carriers.Select(c => c.Id));
        Assert.Equal(1, index.PositionAfter("a"));
        Assert.Equal(2, index.PositionAfter("c"));
        Assert.Equal(3, index.PositionAfter("d"));
        Assert.Equal(0, index.PositionAfter(""));
    }
}
