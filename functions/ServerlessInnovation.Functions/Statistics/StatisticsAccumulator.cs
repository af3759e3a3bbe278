using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>What the statistics need of one application: no more than a few fields of its row.</summary>
/// <param name="District">The district it counts in: the deciding carrier's, else its first choice's; null when unknown.</param>
public sealed record ApplicationFacts(
    ApplicationStatus Status, DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt, string? District, StartupStage? Stage, Industry? Industry);

/// <summary>One figure of a snapshot: an indicator's value in a scope (the city, or one district).</summary>
public sealed record StatisticValue(string Scope, string Code, double Value);

/// <summary>
/// Adds carriers and applications up, one at a time, into the figures of each scope: the whole city and each district.
/// Memory depends on the number of scopes and indicators only, never on how many carriers or applications go through.
/// </summary>
public sealed class StatisticsAccumulator
{
    private static readonly StartupStage[] Stages = [StartupStage.Green, StartupStage.Yellow, StartupStage.Red];
    private static readonly ApplicationStatus[] Statuses = Enum.GetValues<ApplicationStatus>();

    private readonly DateOnly _day;
    private readonly Dictionary<string, ScopeFigures> _scopes = new(StringComparer.Ordinal);
    private readonly ScopeFigures _city;

    /// <param name="day">The snapshot's day (China Standard Time): the day of "day" figures, and the end of "total" ones.</param>
    public StatisticsAccumulator(DateOnly day, string cityScope, IEnumerable<string> districts)
    {
        _day = day;
        _city = _scopes[cityScope] = new ScopeFigures();
        foreach (var district in districts)
        {
            _scopes[district] = new ScopeFigures();
        }
    }

    public DateOnly Day => _day;

    /// <summary>Scopes in report order: the city first, then the districts.</summary>
    public IEnumerable<string> Scopes => _scopes.Keys;

    public void AddCarrier(Carrier carrier)
    {
        foreach (var figures in ScopesOf(carrier.DistrictCode))
        {
            figures.Carriers[carrier.Type == CarrierType.Incubator ? 0 : 1, TierIndex(carrier.TierOn(_day))]++;
            figures.TotalArea += carrier.TotalAreaM2;
            figures.FreeArea += carrier.FreeAreaM2;
            figures.FreeWorkstations += carrier.FreeWorkstations;
            figures.EnterprisesInIncubation += carrier.TrackRecord.EnterprisesInIncubation;
            figures.Graduated += carrier.TrackRecord.Graduated;
            figures.HighTech += carrier.TrackRecord.HighTechEnterprises;
            figures.Jobs += carrier.TrackRecord.Jobs;
        }
    }

    /// <summary>Counts an application submitted by the end of the snapshot's day; a later one is left out.</summary>
    public void AddApplication(ApplicationFacts application)
    {
        var submittedOn = ChinaStandardTime.DayOf(application.SubmittedAt);
        if (submittedOn > _day)
        {
            return;
        }
        var decidedOn = application.DecidedAt is { } decided ? ChinaStandardTime.DayOf(decided) : (DateOnly?)null;
        foreach (var figures in ScopesOf(application.District))
        {
            Count(figures.Applications[1], application);
            if (application.DecidedAt is { } at && decidedOn <= _day)
            {
                figures.DecisionTimes[1].Add(at - application.SubmittedAt);
            }
            if (submittedOn == _day)
            {
                Count(figures.Applications[0], application);
            }
            if (decidedOn == _day)
            {
                figures.DecisionTimes[0].Add(application.DecidedAt!.Value - application.SubmittedAt);
            }
        }
    }

    private static void Count(PeriodFigures period, ApplicationFacts application)
    {
        period.Received++;
        period.ByStatus[(int)application.Status - 1]++;
        if (application.Stage is { } stage)
        {
            period.ByStage[Array.IndexOf(Stages, stage)]++;
        }
        if (application.Industry is { } industry)
        {
            period.ByIndustry[industry.Bit]++;
        }
    }

    /// <summary>Every indicator of every scope; the median time to decision is left out where nothing was decided.</summary>
    public IEnumerable<StatisticValue> Values()
    {
        foreach (var (scope, figures) in _scopes)
        {
            foreach (var (code, value) in figures.Values())
            {
                yield return new StatisticValue(scope, code, value);
            }
        }
    }

    private IEnumerable<ScopeFigures> ScopesOf(string? district)
    {
        yield return _city;
        if (district is not null && _scopes.TryGetValue(district, out var figures) && !ReferenceEquals(figures, _city))
        {
            yield return figures;
        }
    }

    private static int TierIndex(TierLevel? level)
    {
        if (level is null)
        {
            return Tiers.All.Count;
        }
        for (var i = 0; i < Tiers.All.Count; i++)
        {
            if (ReferenceEquals(Tiers.All[i], level))
            {
                return i;
            }
        }
        return Tiers.All.Count;
    }

    private sealed class PeriodFigures
    {
        public long Received;
        public readonly long[] ByStatus = new long[Statuses.Length];
        public readonly long[] ByStage = new long[Stages.Length];
        public readonly long[] ByIndustry = new long[Industries.All.Count];
    }

    private sealed class ScopeFigures
    {
        public readonly long[,] Carriers = new long[2, Tiers.All.Count + 1];
        public double TotalArea;
        public double FreeArea;
        public long FreeWorkstations;
        public long EnterprisesInIncubation;
        public long Graduated;
        public long HighTech;
        public long Jobs;
        public readonly PeriodFigures[] Applications = [new(), new()];
        public readonly DecisionTimes[] DecisionTimes = [new(), new()];

        public IEnumerable<(string Code, double Value)> Values()
        {
            yield return (Indicators.Carriers, Sum(0) + Sum(1));
            foreach (var type in CarrierTypes.All)
            {
                var row = type == CarrierType.Incubator ? 0 : 1;
                yield return (Indicators.CarriersOf(type), Sum(row));
                for (var tier = 0; tier < Indicators.TierCodes.Count; tier++)
                {
                    yield return (Indicators.CarriersOf(type, Indicators.TierCodes[tier]), Carriers[row, tier]);
                }
            }
            yield return (Indicators.TotalArea, Math.Round(TotalArea, 2));
            yield return (Indicators.FreeArea, Math.Round(FreeArea, 2));
            yield return (Indicators.Occupancy, TotalArea > 0 ? Math.Round(1 - FreeArea / TotalArea, 4) : 0);
            yield return (Indicators.FreeWorkstations, FreeWorkstations);
            yield return (Indicators.EnterprisesInIncubation, EnterprisesInIncubation);
            yield return (Indicators.Graduated, Graduated);
            yield return (Indicators.HighTech, HighTech);
            yield return (Indicators.Jobs, Jobs);
            foreach (var period in Indicators.Periods)
            {
                var figures = Applications[period == StatisticsPeriod.Day ? 0 : 1];
                yield return (Indicators.Received(period), figures.Received);
                foreach (var status in Statuses)
                {
                    yield return (Indicators.ApplicationsIn(period, status), figures.ByStatus[(int)status - 1]);
                }
                if (DecisionTimes[period == StatisticsPeriod.Day ? 0 : 1].MedianMilliseconds() is { } median)
                {
                    yield return (Indicators.DecisionMedian(period), median);
                }
                for (var stage = 0; stage < Stages.Length; stage++)
                {
                    yield return (Indicators.StartupsAt(period, Stages[stage]), figures.ByStage[stage]);
                }
                foreach (var industry in Industries.All)
                {
                    yield return (Indicators.StartupsIn(period, industry), figures.ByIndustry[industry.Bit]);
                }
            }
        }

        private long Sum(int row)
        {
            long sum = 0;
            for (var tier = 0; tier <= Tiers.All.Count; tier++)
            {
                sum += Carriers[row, tier];
            }
            return sum;
        }
    }
}
