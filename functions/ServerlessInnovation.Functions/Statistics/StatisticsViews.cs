using System.Globalization;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.Statistics;

public sealed record IndicatorView(string Code, LocalizedText Name, LocalizedText Unit, double Value, double? Previous, double? Change);

public sealed record ScopeStatistics(string Scope, LocalizedText Name, IReadOnlyList<IndicatorView> Indicators);

/// <summary>A snapshot as the API shows it; <see cref="Files"/> (CSV, JSON, charts) only to bureaus.</summary>
public sealed record StatisticsView(DateOnly Date, DateTimeOffset? GeneratedAt, IReadOnlyList<ScopeStatistics> Scopes, IReadOnlyDictionary<string, string>? Files);

/// <summary>What the statistics endpoints share: reading the date and scopes asked for, and shaping the answer.</summary>
public static class StatisticsViews
{
    /// <summary>The figures the public summary shows (the mobile page's headline).</summary>
    public static IReadOnlyList<string> Headline { get; } =
    [
        Indicators.Carriers,
        Indicators.CarriersOf(Domain.Catalog.CarrierType.Incubator),
        Indicators.CarriersOf(Domain.Catalog.CarrierType.MakerSpace),
        Indicators.TotalArea,
        Indicators.Occupancy,
        Indicators.FreeWorkstations,
        Indicators.EnterprisesInIncubation,
        Indicators.Graduated,
        Indicators.Jobs,
        Indicators.Received(StatisticsPeriod.Total),
        Indicators.ApplicationsIn(StatisticsPeriod.Total, Domain.Applications.ApplicationStatus.Accepted),
        Indicators.Received(StatisticsPeriod.Day),
    ];

    /// <summary>The snapshot date asked for: <c>latest</c> or <c>yyyy-MM-dd</c>; null with a problem otherwise, or when there is none.</summary>
    public static async Task<(DateOnly? Date, ApiProblem? Problem)> DateAsync(string text, StatisticsStore store, CancellationToken cancellationToken)
    {
        if (text == "latest")
        {
            return await store.LatestAsync(cancellationToken) is { } latest
                ? (latest, null)
                : (null, Problems.NotFound(new("尚未生成统计数据（每天凌晨2点更新）。", "No statistics yet (they are computed every night at 02:00 China time).")));
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (null, Problems.Validation([new("date", "invalid-date", new("日期须为 latest 或 yyyy-MM-dd 格式", "The date must be latest or yyyy-MM-dd"))]));
        }
        return (date, null);
    }

    /// <summary>The scopes asked for (<c>scope</c>, repeatable): the city and district codes; all of them when none is given.</summary>
    public static (IReadOnlyList<string>? Scopes, ApiProblem? Problem) Scopes(HttpRequest request, IReadOnlyList<string> whenNone)
    {
        var asked = request.Query["scope"];
        if (asked.Count == 0)
        {
            return (whenNone, null);
        }
        var errors = new FieldErrors();
        if (asked.Count > StatisticsSnapshot.AllScopes.Count)
        {
            errors.TooMany("scope", StatisticsSnapshot.AllScopes.Count);
        }
        else
        {
            foreach (var scope in asked)
            {
                if (!StatisticsSnapshot.AllScopes.Contains(scope))
                {
                    errors.UnknownCode("scope", string.Join(", ", StatisticsSnapshot.AllScopes));
                    break;
                }
            }
        }
        return errors.Any ? (null, Problems.Validation(errors.All)) : ([.. asked.Distinct()!], null);
    }

    public static StatisticsView View(DateOnly date, DateTimeOffset? generatedAt, IEnumerable<StatisticRow> rows, IReadOnlyList<string> scopes,
        IReadOnlyList<string>? codes, IReadOnlyDictionary<string, string>? files)
    {
        var byScope = rows.ToLookup(r => r.Scope);
        return new StatisticsView(date, generatedAt,
            [.. scopes.Select(scope => new ScopeStatistics(scope, StatisticsSnapshot.ScopeName(scope) ?? new(scope, scope),
                [.. Order(byScope[scope], codes).Select(row => Indicators.Find(row.Code) is { } indicator
                    ? new IndicatorView(row.Code, indicator.Name, indicator.Unit, row.Value, row.Previous, row.Change)
                    : new IndicatorView(row.Code, new(row.Code, row.Code), new("", ""), row.Value, row.Previous, row.Change))]))],
            files);
    }

    /// <summary>The rows in report order (the order of <see cref="Indicators.All"/>), only <paramref name="codes"/> if given.</summary>
    private static IEnumerable<StatisticRow> Order(IEnumerable<StatisticRow> rows, IReadOnlyList<string>? codes)
    {
        var byCode = rows.ToDictionary(r => r.Code, StringComparer.Ordinal);
        foreach (var code in codes ?? [.. Indicators.All.Select(i => i.Code)])
        {
            if (byCode.TryGetValue(code, out var row))
            {
                yield return row;
            }
        }
    }
}
