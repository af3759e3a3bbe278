using ServerlessInnovation.Benchmarks;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Tests.Domain;

/// <summary>
/// The column-store index against the straightforward LINQ reference, on the demo catalogs and many random
/// profiles: same carriers in the same order with the same scores, same exclusion counts.
/// </summary>
public sealed class MatchIndexEquivalenceTests
{
    [Theory]
    [InlineData("hangzhou", 400)]
    [InlineData("national", 60)]
    public void TheIndexRanksExactlyLikeTheReference(string catalog, int profiles)
    {
        var data = catalog == "hangzhou" ? DemoCatalog.Hangzhou() : DemoCatalog.National(3_000);
        var index = MatchIndex.Build(data.Carriers, data.Districts, Build.Today);
        var random = new Random(20261122);

        for (var i = 0; i < profiles; i++)
        {
            var profile = RandomProfile(random, data.Districts);
            var policy = i % 3 == 0 ? MatchingPolicy.Default : RandomPolicy(random);
            var top = random.Next(1, 51);

            var fast = index.Match(profile, Build.Today, policy, top);
            var reference = LinqMatcher.Match(data.Carriers, data.Districts, profile, Build.Today, policy, top);

            Assert.Equal(reference.Matches.Select(m => m.Carrier.Id), fast.Matches.Select(m => m.Carrier.Id));
            Assert.Equal(reference.Matches.Select(m => m.Score), fast.Matches.Select(m => m.Score));
            Assert.Equal(reference.Eligible, fast.Eligible);
            Assert.Equal(
                reference.Exclusions.OrderBy(e => e.Key.Code, StringComparer.Ordinal).ThenBy(e => e.Key.Threshold),
                fast.Exclusions.Select(e => KeyValuePair.Create((e.Code, e.Threshold), e.Count)).OrderBy(e => e.Key.Code, StringComparer.Ordinal).ThenBy(e => e.Key.Threshold));
        }
    }

    private static StartupProfile RandomProfile(Random random, IReadOnlyList<District> districts)
    {
        var registered = random.Next(3) == 0 ? (DateOnly?)null : Build.Today.AddDays(-random.Next(0, 6 * 365));
        return new StartupProfile
        {
            Stage = StartupStages.All[random.Next(3)],
            RegisteredOn = registered,
            Industry = Industries.All[random.Next(Industries.All.Count)],
            TeamSize = random.Next(1, 600),
            RdStaffSharePercent = random.Next(0, 101),
            LastYearRevenueCny = new long[] { 0, 500_000, 1_999_999, 2_500_000, 4_000_000, 300_000_000 }[random.Next(6)],
            LastYearRdExpenseCny = random.Next(3) == 0 ? null : random.Next(0, 2_000_000),
            IntellectualProperty = random.Next(2) == 0 ? null : new IntellectualProperty(random.Next(0, 2), random.Next(0, 6)),
            Space = random.Next(2) == 0 ? SpaceNeed.Area(random.Next(10, 3_000)) : SpaceNeed.Desks(random.Next(1, 60)),
            WantedServices = (CarrierServices)random.Next(0, 128),
            PreferredDistricts = [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => districts[random.Next(districts.Count)].Code).Distinct()],
            Location = random.Next(2) == 0 ? null : new GeoPoint(30.0 + random.NextDouble() * 0.6, 119.6 + random.NextDouble() * 0.9),
            CarrierTypes = random.Next(3) switch
            {
                0 => [],
                1 => [CarrierType.Incubator],
                _ => [CarrierType.MakerSpace],
            },
        };
    }

    private static MatchingPolicy RandomPolicy(Random random)
    {
        var raw = Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray();
        var sum = raw.Sum();
        var w = raw.Select(x => x / sum).ToArray();
        w[5] = 1 - w[..5].Sum();
        return new MatchingPolicy(new MatchWeights(w[0], w[1], w[2], w[3], w[4], w[5]),
            ProximityRadiusKm: random.Next(5, 80), AreaPerWorkstationM2: random.Next(4, 12), FullHeadroomRatio: 2 + random.Next(0, 6));
    }
}
