using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Tests.Domain;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

public sealed class MatchesApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    public static JsonObject Profile() => new()
    {
        ["stage"] = "yellow",
        ["registeredOn"] = "2026-03-01",
        ["industry"] = "ai",
        ["teamSize"] = 6,
        ["rdStaffSharePercent"] = 50,
        ["lastYearRevenueCny"] = 300_000,
        ["lastYearRdExpenseCny"] = 200_000,
        ["space"] = new JsonObject { ["areaM2"] = 120 },
        ["wantedServices"] = new JsonArray("seed-fund", "mentoring"),
        ["preferredDistricts"] = new JsonArray("xihu"),
    };

    private async Task<JsonElement> PostAsync(JsonObject body)
    {
        using var response = await app.Client.PostAsJsonAsync("/api/matches", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task AStartupGetsTheFittingCarriersBestFirstWithReasonsInBothLanguages()
    {
        var result = await PostAsync(Profile());

        Assert.Equal("2026-11-22", result.GetProperty("evaluatedOn").GetString());
        Assert.Equal(442, result.GetProperty("considered").GetInt32());
        Assert.Equal(result.GetProperty("considered").GetInt32() - result.GetProperty("eligible").GetInt32(), result.GetProperty("excluded").GetInt32());
        var matches = result.GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal(10, matches.Count);
        Assert.Equal(Enumerable.Range(1, 10), matches.Select(m => m.GetProperty("rank").GetInt32()));
        var scores = matches.Select(m => m.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        foreach (var match in matches)
        {
            var parts = match.GetProperty("parts").EnumerateArray().ToList();
            Assert.Equal(["industry", "proximity", "services", "vacancy", "tier", "track-record"], parts.Select(p => p.GetProperty("criterion").GetString()));
            Assert.Equal(match.GetProperty("score").GetDouble(), parts.Sum(p => p.GetProperty("points").GetDouble()), 0.05);
            var reasons = match.GetProperty("reasons").EnumerateArray().ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(Problem.ContainsChinese(r.GetProperty("zh").GetString())));
            Assert.All(reasons, r => Assert.False(Problem.ContainsChinese(r.GetProperty("en").GetString())));
            Assert.True(match.GetProperty("carrier").GetProperty("freeAreaM2").GetDouble() >= 120);
        }
        Assert.Equal("qualified", result.GetProperty("techSme").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheServedRankingIsTheDomainRankingOfTheSameCatalog()
    {
        var result = await PostAsync(Profile());

        var demo = DemoCatalog.Hangzhou();
        var expected = MatchIndex.Build(demo.Carriers, demo.Districts, Build.Today).Match(new StartupProfile
        {
            Stage = StartupStage.Yellow,
            RegisteredOn = new DateOnly(2026, 3, 1),
            Industry = Industries.ArtificialIntelligence,
            TeamSize = 6,
            RdStaffSharePercent = 50,
            LastYearRevenueCny = 300_000,
            LastYearRdExpenseCny = 200_000,
            Space = SpaceNeed.Area(120),
            WantedServices = CarrierServices.SeedFund | CarrierServices.Mentoring,
            PreferredDistricts = ["xihu"],
        }, Build.Today, MatchingPolicy.Default, 10);

        Assert.Equal(expected.Matches.Select(m => m.Carrier.Id),
            result.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("carrier").GetProperty("id").GetString()));
        Assert.Equal(expected.Eligible, result.GetProperty("eligible").GetInt32());
    }

    [Fact]
    public async Task AStartupThatFitsNowhereLearnsWhy()
    {
        var profile = Profile();
        profile["registeredOn"] = "2019-05-01";
        profile["lastYearRevenueCny"] = 50_000_000;
        profile["carrierTypes"] = new JsonArray("incubator");
        profile["space"] = new JsonObject { ["areaM2"] = 90_000 };

        var result = await PostAsync(profile);

        Assert.Equal(0, result.GetProperty("eligible").GetInt32());
        Assert.Empty(result.GetProperty("matches").EnumerateArray());
        var exclusions = result.GetProperty("exclusions").EnumerateArray().ToList();
        var age = exclusions.Single(e => e.GetProperty("code").GetString() == "max-company-age-months" && e.GetProperty("threshold").GetInt64() == 24);
        Assert.Equal("成立时间超过24个月", age.GetProperty("reason").GetProperty("zh").GetString());
        Assert.True(age.GetProperty("count").GetInt32() > 0);
        Assert.Contains(exclusions, e => e.GetProperty("code").GetString() == "type-not-wanted");
        Assert.Contains(exclusions, e => e.GetProperty("code").GetString() == "max-last-year-revenue-cny");
        Assert.Equal(442, exclusions.Single(e => e.GetProperty("code").GetString() == "no-vacancy").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task TheSameRequestGetsTheSameAnswer()
    {
        using var first = await app.Client.PostAsJsonAsync("/api/matches", Profile());
        using var second = await app.Client.PostAsJsonAsync("/api/matches", Profile());

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TopAndCarrierTypesShapeTheAnswer()
    {
        var profile = Profile();
        profile["top"] = 3;
        profile["carrierTypes"] = new JsonArray("maker-space");
        profile["space"] = new JsonObject { ["workstations"] = 4 };
        profile["registeredOn"] = null;
        profile["stage"] = "green";

        var result = await PostAsync(profile);

        var matches = result.GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal(3, matches.Count);
        Assert.All(matches, m => Assert.Equal("maker-space", m.GetProperty("carrier").GetProperty("type").GetProperty("code").GetString()));
        Assert.Equal("not-applicable", result.GetProperty("techSme").GetProperty("status").GetString());
    }
}
