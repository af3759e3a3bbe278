using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>Where the nightly statistics are kept.</summary>
public sealed class StatisticsOptions
{
    public const string SectionName = "Statistics";

    /// <summary>The app setting with RefreshStatistics' NCRONTAB schedule (function.json reads it as <c>%RefreshStatisticsSchedule%</c>).</summary>
    public const string ScheduleSetting = "RefreshStatisticsSchedule";

    /// <summary>One row per indicator, scope and date.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string StatisticsTable { get; set; } = "Statistics";

    /// <summary>The container of reports; a snapshot's files are under <c>statistics/yyyy/MM/dd/</c>.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string ReportContainer { get; set; } = "reports";

    /// <summary>How many days the trend chart shows, the snapshot's own day included.</summary>
    [Range(2, 366)]
    public int TrendDays { get; set; } = 30;
}

[OptionsValidator]
internal sealed partial class StatisticsOptionsValidator : IValidateOptions<StatisticsOptions>;
