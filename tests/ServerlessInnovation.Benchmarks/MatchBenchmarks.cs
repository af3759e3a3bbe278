using BenchmarkDotNet.Attributes;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Benchmarks;

/// <summary>
/// One match against the Hangzhou demo catalog (442 carriers) and the national one (20,000): the column-store
/// <see cref="MatchIndex"/> against the LINQ baseline, in the same run. Allocations per match show there is none per carrier.
/// </summary>
[MemoryDiagnoser]
public class MatchBenchmarks
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private IReadOnlyList<Carrier> _carriers = [];
    private IReadOnlyList<District> _districts = [];
    private MatchIndex _index = null!;
    private readonly MatchingPolicy _policy = MatchingPolicy.Default;

    [Params(442, 20_000)]
    public int Carriers { get; set; }

    public static StartupProfile Profile { get; } = new()
    {
        Stage = StartupStage.Yellow,
        RegisteredOn = Today.AddMonths(-10),
        Industry = Industries.ArtificialIntelligence,
        TeamSize = 8,
        RdStaffSharePercent = 50,
        LastYearRevenueCny = 800_000,
        LastYearRdExpenseCny = 200_000,
        IntellectualProperty = new(0, 2),
        Space = SpaceNeed.Area(150),
        WantedServices = CarrierServices.SeedFund | CarrierServices.Mentoring | CarrierServices.RegisteredAddress,
        PreferredDistricts = ["xihu", "binjiang"],
        Location = new GeoPoint(30.2741, 120.1551),
    };

    [GlobalSetup]
    public void Setup()
    {
        var data = Carriers == 442 ? DemoCatalog.Hangzhou() : DemoCatalog.National(Carriers);
        _carriers = data.Carriers;
        _districts = data.Districts;
        _index = MatchIndex.Build(_carriers, _districts, Today);
    }

    [Benchmark(Baseline = true, Description = "LINQ over carrier objects")]
    public LinqMatcher.Result Linq() => LinqMatcher.Match(_carriers, _districts, Profile, Today, _policy, 10);

    [Benchmark(Description = "Column-store index")]
    public MatchOutcome Index() => _index.Match(Profile, Today, _policy, 10);
}
