using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Statistics;

namespace ServerlessInnovation.Tests.Statistics;

/// <summary>Every indicator, computed the way the nightly refresh does, against the same figures computed the obvious way.</summary>
public sealed class StatisticsAccumulatorTests
{
    private static readonly DateOnly Day = new(2026, 12, 6);
    private static readonly DateTimeOffset EndOfDay = new(2026, 12, 6, 16, 0, 0, TimeSpan.Zero); // midnight in China

    [Fact]
    public void EveryIndicatorOfEveryScopeMatchesAStraightforwardComputation()
    {
        var carriers = DemoCatalog.Hangzhou().Carriers;
        // Ten days of applications, and some from the morning after the snapshot's day, which must not count.
        var applications = StatisticsDataSet.Applications(carriers, 5_000, EndOfDay.AddHours(6), days: 10, seed: 7).ToList();
        Assert.Contains(applications, a => ChinaStandardTime.DayOf(a.SubmittedAt) > Day);

        var computed = Compute(carriers, applications);
        var expected = Expected(carriers, applications);

        Assert.Equal(expected.Keys.Order(), computed.Keys.Order());
        foreach (var ((scope, code), value) in expected)
        {
            var actual = computed[(scope, code)];
            if (code.EndsWith("decision-median-ms", StringComparison.Ordinal))
            {
                Assert.True(Math.Abs(actual - value) <= 0.01 * (value + 1), $"{scope} {code}: {actual} vs exact {value}");
            }
            else
            {
                Assert.True(Math.Abs(actual - value) < 0.006, $"{scope} {code}: {actual}, expected {value}");
            }
        }
        // The data set is not trivial: every scope has applications, every status occurs.
        Assert.All(StatisticsSnapshot.AllScopes, scope => Assert.True(computed[(scope, Indicators.Received(StatisticsPeriod.Total))] > 0));
        Assert.All(Enum.GetValues<ApplicationStatus>(), status =>
            Assert.True(computed[(StatisticsSnapshot.CityScope, Indicators.ApplicationsIn(StatisticsPeriod.Day, status))] > 0));
    }

    [Fact]
    public void TheMedianTimeToDecisionIsWithinOnePercentOfTheExactOne()
    {
        var random = new Random(3);
        foreach (var count in (int[])[1, 2, 3, 10, 1_001, 50_000])
        {
            var times = new DecisionTimes();
            var exact = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var milliseconds = Math.Round(Math.Pow(10, random.NextDouble() * 8), 3);
                times.Add(TimeSpan.FromMilliseconds(milliseconds));
                exact.Add(milliseconds);
            }
            var median = LowerMedian(exact);
            Assert.True(Math.Abs(times.MedianMilliseconds()!.Value - median) <= 0.01 * (median + 1), $"{count}: {times.MedianMilliseconds()} vs {median}");
        }
        Assert.Null(new DecisionTimes().MedianMilliseconds());
    }

    [Fact]
    public void AnApplicationCountsInTheDistrictOfTheCarrierThatDecidedItElseOfItsFirstChoice()
    {
        var carriers = DemoCatalog.Hangzhou().Carriers;
        var xihu = carriers.First(c => c.DistrictCode == "xihu");
        var binjiang = carriers.First(c => c.DistrictCode == "binjiang");
        var template = StatisticsDataSet.Applications(carriers, 1, EndOfDay.AddHours(-1), 0, 1).Single();
        var accepted = template with
        {
            Status = ApplicationStatus.Accepted, Choices = [new(xihu.Id, "xihu"), new(binjiang.Id, "binjiang")], CarrierId = binjiang.Id,
            DecidedAt = template.SubmittedAt.AddSeconds(1),
        };
        var rejected = template with { Status = ApplicationStatus.Rejected, Choices = [new(xihu.Id, "xihu")], CarrierId = null };

        var computed = Compute(carriers, [accepted, rejected]);

        var received = Indicators.Received(StatisticsPeriod.Day);
        Assert.Equal(2, computed[(StatisticsSnapshot.CityScope, received)]);
        Assert.Equal(1, computed[("binjiang", received)]);
        Assert.Equal(1, computed[("xihu", received)]);
        Assert.Equal(1, computed[("binjiang", Indicators.ApplicationsIn(StatisticsPeriod.Day, ApplicationStatus.Accepted))]);
        Assert.Equal(0, computed[("xihu", Indicators.ApplicationsIn(StatisticsPeriod.Day, ApplicationStatus.Accepted))]);
    }

    /// <summary>The way the refresh computes: each application as a stored row, read back by <see cref="ApplicationFactsReader"/>.</summary>
    private static Dictionary<(string, string), double> Compute(IReadOnlyList<Carrier> carriers, IEnumerable<ApplicationRecord> applications)
    {
        var accumulator = new StatisticsAccumulator(Day, StatisticsSnapshot.CityScope, HangzhouDistricts.All.Select(d => d.Code));
        foreach (var carrier in carriers)
        {
            accumulator.AddCarrier(carrier);
        }
        var districtOf = carriers.ToDictionary(c => c.Id, c => c.DistrictCode);
        foreach (var application in applications)
        {
            accumulator.AddApplication(ApplicationFactsReader.Read(application.ToEntity(), districtOf)!);
        }
        return accumulator.Values().ToDictionary(v => (v.Scope, v.Code), v => v.Value);
    }

    /// <summary>The obvious computation: for each scope, filter, group and count with LINQ over whole objects.</summary>
    private static Dictionary<(string, string), double> Expected(IReadOnlyList<Carrier> carriers, IReadOnlyList<ApplicationRecord> applications)
    {
        var expected = new Dictionary<(string, string), double>();
        var districtOfCarrier = carriers.ToDictionary(c => c.Id, c => c.DistrictCode);
        string DistrictOf(ApplicationRecord a) => a.CarrierId is { } id && districtOfCarrier.TryGetValue(id, out var d) ? d : a.Choices[0].District;
        var submittedByDay = applications.Where(a => ChinaStandardTime.DayOf(a.SubmittedAt) <= Day).ToList();

        foreach (var scope in StatisticsSnapshot.AllScopes)
        {
            bool InScope(string district) => scope == StatisticsSnapshot.CityScope || district == scope;
            var here = carriers.Where(c => InScope(c.DistrictCode)).ToList();
            expected[(scope, Indicators.Carriers)] = here.Count;
            foreach (var type in CarrierTypes.All)
            {
                expected[(scope, Indicators.CarriersOf(type))] = here.Count(c => c.Type == type);
                foreach (var tier in Indicators.TierCodes)
                {
                    expected[(scope, Indicators.CarriersOf(type, tier))] = here.Count(c => c.Type == type && (c.TierOn(Day)?.Code ?? Indicators.NoTier) == tier);
                }
            }
            var total = here.Sum(c => c.TotalAreaM2);
            var free = here.Sum(c => c.FreeAreaM2);
            expected[(scope, Indicators.TotalArea)] = total;
            expected[(scope, Indicators.FreeArea)] = free;
            expected[(scope, Indicators.Occupancy)] = total > 0 ? Math.Round(1 - free / total, 4) : 0;
            expected[(scope, Indicators.FreeWorkstations)] = here.Sum(c => c.FreeWorkstations);
            expected[(scope, Indicators.EnterprisesInIncubation)] = here.Sum(c => c.TrackRecord.EnterprisesInIncubation);
            expected[(scope, Indicators.Graduated)] = here.Sum(c => c.TrackRecord.Graduated);
            expected[(scope, Indicators.HighTech)] = here.Sum(c => c.TrackRecord.HighTechEnterprises);
            expected[(scope, Indicators.Jobs)] = here.Sum(c => c.TrackRecord.Jobs);

            var inScope = submittedByDay.Where(a => InScope(DistrictOf(a))).ToList();
            foreach (var period in Indicators.Periods)
            {
                var counted = period == StatisticsPeriod.Day ? inScope.Where(a => ChinaStandardTime.DayOf(a.SubmittedAt) == Day).ToList() : inScope;
                expected[(scope, Indicators.Received(period))] = counted.Count;
                foreach (var status in Enum.GetValues<ApplicationStatus>())
                {
                    expected[(scope, Indicators.ApplicationsIn(period, status))] = counted.Count(a => a.Status == status);
                }
                var decided = inScope.Where(a => a.DecidedAt is { } at &&
                    (period == StatisticsPeriod.Day ? ChinaStandardTime.DayOf(at) == Day : ChinaStandardTime.DayOf(at) <= Day)).ToList();
                if (decided.Count > 0)
                {
                    expected[(scope, Indicators.DecisionMedian(period))] = LowerMedian([.. decided.Select(a => (a.DecidedAt!.Value - a.SubmittedAt).TotalMilliseconds)]);
                }
                foreach (var stage in (StartupStage[])[StartupStage.Green, StartupStage.Yellow, StartupStage.Red])
                {
                    expected[(scope, Indicators.StartupsAt(period, stage))] = counted.Count(a => a.Profile.Stage == stage.Code());
                }
                foreach (var industry in Industries.All)
                {
                    expected[(scope, Indicators.StartupsIn(period, industry))] = counted.Count(a => a.Profile.Industry == industry.Code);
                }
            }
        }
        return expected;
    }

    private static double LowerMedian(List<double> values)
    {
        values.Sort();
        return values[(values.Count - 1) / 2];
    }
}
