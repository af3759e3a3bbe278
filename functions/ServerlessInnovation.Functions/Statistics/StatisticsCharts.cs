using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Statistics.Charts;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>The charts of a snapshot: the tier mix, carriers by district, the application funnel and the trend of applications received.</summary>
public sealed class StatisticsCharts(StatisticsStore store, IOptions<StatisticsOptions> options)
{
    private static readonly LocalizedText Carriers = new("个", "carriers");
    private static readonly LocalizedText Applications = new("件", "applications");

    public async Task<IReadOnlyList<(string File, string Svg)>> DrawAsync(StatisticsSnapshot snapshot, CancellationToken cancellationToken)
    {
        var city = StatisticsSnapshot.CityScope;
        double Value(string scope, string code) => snapshot.ValueOf(scope, code) ?? 0;

        var tiers = Indicators.TierCodes.Select(tier => Tiers.Find(tier)?.Name ?? new LocalizedText("未认定", "No tier")).ToList();
        var tierMix = SvgCharts.StackedBars(
            new("孵化载体认定级别分布", "Carriers by tier"),
            tiers,
            [.. CarrierTypes.All.Select(type => new ChartSeries(type.Name(),
                [.. Indicators.TierCodes.Select(tier => Value(city, Indicators.CarriersOf(type, tier)))]))],
            Carriers);

        var districts = HangzhouDistricts.All;
        var districtBars = SvgCharts.StackedBars(
            new("各区县孵化载体数量", "Carriers by district"),
            [.. districts.Select(d => d.Name)],
            [.. CarrierTypes.All.Select(type => new ChartSeries(type.Name(), [.. districts.Select(d => Value(d.Code, Indicators.CarriersOf(type)))]))],
            Carriers);

        var total = StatisticsPeriod.Total;
        var decided = new[] { ApplicationStatus.Accepted, ApplicationStatus.Waitlisted, ApplicationStatus.Rejected }
            .Sum(status => Value(city, Indicators.ApplicationsIn(total, status)));
        var funnel = SvgCharts.Funnel(
            new("入孵申请漏斗（累计）", "Application funnel, to date"),
            [
                new(new("收到申请", "Received"), Value(city, Indicators.Received(total))),
                new(new("已作出决定", "Decided"), decided),
                new(new("已录取", "Accepted"), Value(city, Indicators.ApplicationsIn(total, ApplicationStatus.Accepted))),
            ]);

        var from = snapshot.Date.AddDays(1 - options.Value.TrendDays);
        var received = new Dictionary<DateOnly, double>(await store.SeriesAsync(city, Indicators.Received(StatisticsPeriod.Day), from, snapshot.Date, cancellationToken))
        {
            [snapshot.Date] = Value(city, Indicators.Received(StatisticsPeriod.Day)),
        };
        var accepted = new Dictionary<DateOnly, double>(await store.SeriesAsync(city, Indicators.ApplicationsIn(StatisticsPeriod.Day, ApplicationStatus.Accepted), from, snapshot.Date, cancellationToken))
        {
            [snapshot.Date] = Value(city, Indicators.ApplicationsIn(StatisticsPeriod.Day, ApplicationStatus.Accepted)),
        };
        var dates = Enumerable.Range(0, options.Value.TrendDays).Select(from.AddDays).ToList();
        var trend = SvgCharts.Trend(
            new($"近{options.Value.TrendDays}天每日入孵申请", $"Applications per day, last {options.Value.TrendDays} days"),
            dates,
            [
                new(new("收到申请", "Received"), [.. dates.Select(d => received.GetValueOrDefault(d))]),
                new(new("已录取", "Accepted"), [.. dates.Select(d => accepted.GetValueOrDefault(d))]),
            ],
            Applications);

        return
        [
            (StatisticsFiles.TierMix, tierMix),
            (StatisticsFiles.DistrictBars, districtBars),
            (StatisticsFiles.ApplicationFunnel, funnel),
            (StatisticsFiles.Trend, trend),
        ];
    }
}
