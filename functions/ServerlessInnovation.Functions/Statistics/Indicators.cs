using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>One figure the statistics report: a stable code, its name, and its unit.</summary>
public sealed record Indicator(string Code, LocalizedText Name, LocalizedText Unit);

/// <summary>The period an application figure covers: the snapshot's day (China Standard Time), or everything until its end.</summary>
public enum StatisticsPeriod
{
    Day = 1,
    Total = 2,
}

/// <summary>
/// Every indicator, in report order: carriers by type and tier, space, the carriers' own figures (from the catalog),
/// then, per period, applications by status, the median time to a decision, and startups by stage and industry.
/// </summary>
public static class Indicators
{
    public const string Carriers = "carriers";
    public const string TotalArea = "area.total-m2";
    public const string FreeArea = "area.free-m2";
    public const string Occupancy = "area.occupancy";
    public const string FreeWorkstations = "workstations.free";
    public const string EnterprisesInIncubation = "enterprises.in-incubation";
    public const string Graduated = "enterprises.graduated";
    public const string HighTech = "enterprises.high-tech";
    public const string Jobs = "jobs";

    /// <summary>The tier code of a carrier that holds none.</summary>
    public const string NoTier = "none";

    private static readonly LocalizedText Count = new("个", "count");
    private static readonly LocalizedText Enterprises = new("家", "enterprises");
    private static readonly LocalizedText People = new("人", "people");
    private static readonly LocalizedText SquareMetres = new("平方米", "m²");
    private static readonly LocalizedText Share = new("比例", "share");
    private static readonly LocalizedText Applications = new("件", "applications");
    private static readonly LocalizedText Milliseconds = new("毫秒", "ms");

    public static string CarriersOf(CarrierType type) => $"carriers.{type.Code()}";

    public static string CarriersOf(CarrierType type, string tier) => $"carriers.{type.Code()}.tier.{tier}";

    public static string ApplicationsOf(StatisticsPeriod period, string what) => $"applications.{PeriodCode(period)}.{what}";

    public static string Received(StatisticsPeriod period) => ApplicationsOf(period, "received");

    public static string ApplicationsIn(StatisticsPeriod period, ApplicationStatus status) => ApplicationsOf(period, status.Code());

    public static string DecisionMedian(StatisticsPeriod period) => ApplicationsOf(period, "decision-median-ms");

    public static string StartupsAt(StatisticsPeriod period, StartupStage stage) => $"startups.{PeriodCode(period)}.stage.{stage.Code()}";

    public static string StartupsIn(StatisticsPeriod period, Industry industry) => $"startups.{PeriodCode(period)}.industry.{industry.Code}";

    public static string PeriodCode(StatisticsPeriod period) => period == StatisticsPeriod.Day ? "day" : "total";

    public static IReadOnlyList<string> TierCodes { get; } = [.. Tiers.All.Select(t => t.Code), NoTier];

    public static IReadOnlyList<StatisticsPeriod> Periods { get; } = [StatisticsPeriod.Day, StatisticsPeriod.Total];

    public static IReadOnlyList<Indicator> All { get; } = Build();

    private static readonly Dictionary<string, Indicator> ByCode = All.ToDictionary(i => i.Code, StringComparer.Ordinal);

    public static Indicator? Find(string code) => ByCode.GetValueOrDefault(code);

    private static List<Indicator> Build()
    {
        var all = new List<Indicator> { new(Carriers, new("孵化载体总数", "Carriers"), Count) };
        foreach (var type in CarrierTypes.All)
        {
            all.Add(new(CarriersOf(type), type.Name(), Count));
            foreach (var tier in TierCodes)
            {
                var tierName = Tiers.Find(tier)?.Name ?? new LocalizedText("未认定", "No tier");
                all.Add(new(CarriersOf(type, tier), new($"{type.Name().Zh}（{tierName.Zh}）", $"{type.Name().En} ({tierName.En})"), Count));
            }
        }
        all.Add(new(TotalArea, new("孵化场地总面积", "Total incubation area"), SquareMetres));
        all.Add(new(FreeArea, new("可用面积", "Free area"), SquareMetres));
        all.Add(new(Occupancy, new("场地使用率", "Space occupancy"), Share));
        all.Add(new(FreeWorkstations, new("空余工位", "Free workstations"), Count));
        all.Add(new(EnterprisesInIncubation, new("在孵企业", "Enterprises in incubation"), Enterprises));
        all.Add(new(Graduated, new("累计毕业企业", "Graduated enterprises"), Enterprises));
        all.Add(new(HighTech, new("高新技术企业", "High-tech enterprises"), Enterprises));
        all.Add(new(Jobs, new("吸纳就业", "Jobs"), People));
        foreach (var period in Periods)
        {
            var (zh, en) = period == StatisticsPeriod.Day ? ("当日", "that day") : ("累计", "to date");
            all.Add(new(Received(period), new($"{zh}收到入孵申请", $"Applications received, {en}"), Applications));
            foreach (var status in Enum.GetValues<ApplicationStatus>())
            {
                all.Add(new(ApplicationsIn(period, status), new($"{zh}申请（{status.Name().Zh}）", $"Applications {status.Name().En.ToLowerInvariant()}, {en}"), Applications));
            }
            all.Add(new(DecisionMedian(period), new($"{zh}申请处理时长中位数", $"Median time to decision, {en}"), Milliseconds));
            foreach (var stage in (ReadOnlySpan<StartupStage>)[StartupStage.Green, StartupStage.Yellow, StartupStage.Red])
            {
                all.Add(new(StartupsAt(period, stage), new($"{zh}申请企业（{stage.Name().Zh}）", $"Applicants at stage {stage.Name().En}, {en}"), Enterprises));
            }
            foreach (var industry in Industries.All)
            {
                all.Add(new(StartupsIn(period, industry), new($"{zh}申请企业（{industry.Name.Zh}）", $"Applicants in {industry.Name.En}, {en}"), Enterprises));
            }
        }
        return all;
    }
}
