using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Tests.Domain;

public sealed class ApplicationDecisionTests
{
    private static ApplicationDecision Decide(StartupProfile profile, params Carrier?[] carriers) =>
        ApplicationDecision.Decide(profile, [.. carriers.Select((c, i) => new Choice(c?.Id ?? $"gone-{i}", c))], Build.Today, MatchingPolicy.Default);

    [Fact]
    public void TheFirstChoiceThatAdmitsAndHasRoomIsAccepted()
    {
        var tooOld = Build.Carrier("a") with { EntryRules = [EntryRule.MaxCompanyAge(3)] };
        var fits = Build.Carrier("b");
        var alsoFits = Build.Carrier("c");

        var decision = Decide(Build.Profile() with { Space = SpaceNeed.Area(100) }, tooOld, fits, alsoFits);

        Assert.Equal(ApplicationStatus.Accepted, decision.Status);
        Assert.Equal("b", decision.AcceptedAt);
        Assert.Equal(new SeatClaim(SeatKind.Area, 100), decision.Claim);
        Assert.Equal(2, decision.Reasons.Count);
        Assert.Contains("成立时间超过3个月", decision.Reasons[0].Zh, StringComparison.Ordinal);
        Assert.Contains("已为您预留100平方米", decision.Reasons[1].Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void AdmittingButFullChoicesMeanTheWaitlist()
    {
        var full = Build.Carrier("a") with { FreeAreaM2 = 50 };
        var refuses = Build.Carrier("b") with { EntryRules = [EntryRule.MaxLastYearRevenue(1)] };
        var alsoFull = Build.Carrier("c") with { FreeAreaM2 = 0 };

        var decision = Decide(Build.Profile() with { LastYearRevenueCny = 500_000 }, full, refuses, alsoFull);

        Assert.Equal(ApplicationStatus.Waitlisted, decision.Status);
        Assert.Equal(["a", "c"], decision.WaitlistedAt);
        Assert.Null(decision.Claim);
        Assert.Equal(3, decision.Reasons.Count);
    }

    [Fact]
    public void NoAdmittingChoiceMeansRejectedWithEveryReason()
    {
        var old = Build.Carrier("a") with { EntryRules = [EntryRule.MaxCompanyAge(3), EntryRule.TechSme()] };
        var bio = Build.Carrier("b") with { Focus = CarrierFocus.Specialised, Industries = IndustrySet.Of(Industries.Biomedicine) };

        var decision = Decide(Build.Profile() with { RdStaffSharePercent = 5 }, old, bio, null);

        Assert.Equal(ApplicationStatus.Rejected, decision.Status);
        Assert.Contains("不符合科技型中小企业条件", decision.Reasons[0].Zh, StringComparison.Ordinal);
        Assert.Contains("成立时间超过3个月", decision.Reasons[0].Zh, StringComparison.Ordinal);
        Assert.Contains("不接收人工智能企业", decision.Reasons[1].Zh, StringComparison.Ordinal);
        Assert.Equal("gone-2: no longer in the carrier catalog", decision.Reasons[2].En);
    }

    [Fact]
    public void WorkstationsAreTakenAsDesksWhenThereAreEnoughElseAsArea()
    {
        var desks = Build.Carrier("a") with { FreeWorkstations = 5, FreeAreaM2 = 0 };
        var area = Build.Carrier("b") with { FreeWorkstations = 2, FreeAreaM2 = 40 };
        var profile = Build.Profile() with { Space = SpaceNeed.Desks(5) };

        Assert.Equal(new SeatClaim(SeatKind.Workstations, 5), Decide(profile, desks).Claim);
        Assert.Equal(new SeatClaim(SeatKind.Area, 40), Decide(profile, area).Claim);
        Assert.Equal(ApplicationStatus.Waitlisted, Decide(profile, area with { FreeAreaM2 = 39.9 }).Status);
    }

    [Fact]
    public void AClaimTakenAndGivenBackRestoresTheCarrier()
    {
        var carrier = Build.Carrier("a") with { FreeAreaM2 = 250, FreeWorkstations = 7 };

        foreach (var claim in new[] { new SeatClaim(SeatKind.Area, 120), new SeatClaim(SeatKind.Workstations, 3) })
        {
            var taken = claim.TakeFrom(carrier);
            Assert.NotEqual(carrier, taken);
            Assert.Equal(carrier, claim.GiveBackTo(taken));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void OneToThreeChoicesAreAllowed(int count) =>
        Assert.Throws<ArgumentException>(() => ApplicationDecision.Decide(Build.Profile(),
            [.. Enumerable.Range(0, count).Select(i => new Choice($"c{i}", Build.Carrier($"c{i}")))], Build.Today, MatchingPolicy.Default));
}

/// <summary>The one-carrier eligibility check says what the match index counts, carrier by carrier, rule by rule.</summary>
public sealed class EligibilityTests
{
    [Fact]
    public void EligibilityAgreesWithTheMatchIndexOnEveryRuleForRandomProfiles()
    {
        var demo = DemoCatalog.Hangzhou();
        var index = MatchIndex.Build(demo.Carriers, demo.Districts, Build.Today);
        var random = new Random(4);
        for (var i = 0; i < 150; i++)
        {
            var profile = Build.Profile() with
            {
                Stage = StartupStages.All[random.Next(3)],
                RegisteredOn = random.Next(3) == 0 ? null : Build.Today.AddDays(-random.Next(0, 5 * 365)),
                Industry = Industries.All[random.Next(Industries.All.Count)],
                RdStaffSharePercent = random.Next(0, 101),
                LastYearRevenueCny = new long[] { 0, 1_000_000, 2_500_000, 4_000_000, 9_000_000 }[random.Next(5)],
                LastYearRdExpenseCny = random.Next(2) == 0 ? null : random.Next(0, 500_000),
            };
            var techSme = TechSmeAssessment.Assess(profile);
            var fromEligibility = demo.Carriers.SelectMany(c => Eligibility.Failures(c, profile, Build.Today, techSme))
                .GroupBy(f => f.Zh).ToDictionary(g => g.Key, g => g.Count());

            var fromIndex = index.Match(profile, Build.Today, MatchingPolicy.Default, 1).Exclusions
                .Where(e => e.Code is not ("type-not-wanted" or "no-vacancy"))
                .ToDictionary(e => e.Reason.Zh, e => e.Count);

            Assert.Equal(fromIndex.OrderBy(p => p.Key, StringComparer.Ordinal), fromEligibility.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }
}
