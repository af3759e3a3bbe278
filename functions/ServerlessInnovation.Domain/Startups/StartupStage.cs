namespace ServerlessInnovation.Domain.Startups;

/// <summary>The stage of a founder in the three-colour entrepreneur archive (三色创业档案).</summary>
public enum StartupStage
{
    /// <summary>绿色: an intention to start a business, no project fixed yet.</summary>
    Green = 1,

    /// <summary>黄色: the project is decided.</summary>
    Yellow = 2,

    /// <summary>红色: early success (revenue, funding or first customers).</summary>
    Red = 3,
}

public static class StartupStages
{
    public static readonly IReadOnlyList<StartupStage> All = [StartupStage.Green, StartupStage.Yellow, StartupStage.Red];

    public static string Code(this StartupStage stage) => stage switch
    {
        StartupStage.Green => "green",
        StartupStage.Yellow => "yellow",
        StartupStage.Red => "red",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    public static LocalizedText Name(this StartupStage stage) => stage switch
    {
        StartupStage.Green => new("绿色（创业意向）", "green (intention)"),
        StartupStage.Yellow => new("黄色（项目确定）", "yellow (project decided)"),
        StartupStage.Red => new("红色（初步成功）", "red (early success)"),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    public static bool TryParse(string? code, out StartupStage stage)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code(), code, StringComparison.Ordinal))
            {
                stage = candidate;
                return true;
            }
        }
        stage = default;
        return false;
    }
}
