using System.Globalization;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Catalog;

/// <summary>The kinds of entry rule a carrier can set. The thresholds are data on each <see cref="EntryRule"/>.</summary>
public enum EntryRuleKind
{
    /// <summary>The company was registered at most <see cref="EntryRule.Value"/> months ago (在孵企业: 24).</summary>
    MaxCompanyAgeMonths = 1,

    /// <summary>Last year's revenue is at most <see cref="EntryRule.Value"/> yuan (typically 2–5 million).</summary>
    MaxLastYearRevenueCny = 2,

    /// <summary>The startup meets the 科技型中小企业 (tech-based SME) test.</summary>
    TechSmeRequired = 3,

    /// <summary>R&amp;D staff are at least <see cref="EntryRule.Value"/> percent of the team.</summary>
    MinRdStaffSharePercent = 4,

    /// <summary>The startup is at least at stage <see cref="EntryRule.Value"/> of the three-colour archive.</summary>
    MinStage = 5,
}

/// <summary>One entry rule of a carrier, as data: a kind and its threshold.</summary>
public sealed record EntryRule(EntryRuleKind Kind, long Value = 0)
{
    public static EntryRule MaxCompanyAge(int months) => new(EntryRuleKind.MaxCompanyAgeMonths, months);

    public static EntryRule MaxLastYearRevenue(long yuan) => new(EntryRuleKind.MaxLastYearRevenueCny, yuan);

    public static EntryRule TechSme() => new(EntryRuleKind.TechSmeRequired);

    public static EntryRule MinRdStaffShare(int percent) => new(EntryRuleKind.MinRdStaffSharePercent, percent);

    public static EntryRule MinStage(StartupStage stage) => new(EntryRuleKind.MinStage, (long)stage);

    public static IReadOnlyList<EntryRuleKind> Kinds { get; } = Enum.GetValues<EntryRuleKind>();

    public static string KindCode(EntryRuleKind kind) => kind switch
    {
        EntryRuleKind.MaxCompanyAgeMonths => "max-company-age-months",
        EntryRuleKind.MaxLastYearRevenueCny => "max-last-year-revenue-cny",
        EntryRuleKind.TechSmeRequired => "tech-sme-required",
        EntryRuleKind.MinRdStaffSharePercent => "min-rd-staff-share-percent",
        EntryRuleKind.MinStage => "min-stage",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParseKind(string? code, out EntryRuleKind kind)
    {
        foreach (var candidate in Kinds)
        {
            if (string.Equals(KindCode(candidate), code, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public string KindCode() => KindCode(Kind);

    /// <summary>Whether the threshold makes sense for the kind (used when rules come from storage or uploads).</summary>
    public bool IsValid => Kind switch
    {
        EntryRuleKind.MaxCompanyAgeMonths => Value is >= 1 and <= 240,
        EntryRuleKind.MaxLastYearRevenueCny => Value is >= 0 and <= 10_000_000_000,
        EntryRuleKind.TechSmeRequired => Value == 0,
        EntryRuleKind.MinRdStaffSharePercent => Value is >= 1 and <= 100,
        EntryRuleKind.MinStage => Enum.IsDefined((StartupStage)Value),
        _ => false,
    };

    /// <summary>The rule as a sentence, for carrier details.</summary>
    public LocalizedText Describe() => Kind switch
    {
        EntryRuleKind.MaxCompanyAgeMonths => new($"企业成立时间不超过{Value}个月", $"Company registered no more than {Value} months ago"),
        EntryRuleKind.MaxLastYearRevenueCny => new($"上年度营业收入不超过{Money.Wan(Value)}万元", $"Last year's revenue at most CNY {Money.Grouped(Value)}"),
        EntryRuleKind.TechSmeRequired => new("须符合科技型中小企业条件", "Must meet the tech-based SME test"),
        EntryRuleKind.MinRdStaffSharePercent => new($"研发人员占比不低于{Value}%", $"R&D staff at least {Value}% of the team"),
        EntryRuleKind.MinStage => new($"须处于{((StartupStage)Value).Name().Zh}及以上阶段", $"Stage {((StartupStage)Value).Name().En} or later"),
        _ => throw new InvalidOperationException($"Unknown entry rule kind {Kind}."),
    };

    /// <summary>Why a startup that fails this rule is not admitted.</summary>
    public LocalizedText DescribeFailure() => Kind switch
    {
        EntryRuleKind.MaxCompanyAgeMonths => new($"成立时间超过{Value}个月", $"Company older than {Value} months"),
        EntryRuleKind.MaxLastYearRevenueCny => new($"上年度营业收入超过{Money.Wan(Value)}万元", $"Last year's revenue above CNY {Money.Grouped(Value)}"),
        EntryRuleKind.TechSmeRequired => new("不符合科技型中小企业条件", "Does not meet the tech-based SME test"),
        EntryRuleKind.MinRdStaffSharePercent => new($"研发人员占比低于{Value}%", $"R&D staff below {Value}% of the team"),
        EntryRuleKind.MinStage => new($"尚未达到{((StartupStage)Value).Name().Zh}阶段", $"Not yet at stage {((StartupStage)Value).Name().En}"),
        _ => throw new InvalidOperationException($"Unknown entry rule kind {Kind}."),
    };
}

/// <summary>Formatting of yuan amounts the way Chinese notices write them.</summary>
public static class Money
{
    /// <summary>Yuan in 万元 (ten thousands), without needless decimals: 2000000 → "200".</summary>
    public static string Wan(long yuan) => (yuan / 10_000m).ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Yuan with thousands separators: 2000000 → "2,000,000".</summary>
    public static string Grouped(long yuan) => yuan.ToString("N0", CultureInfo.InvariantCulture);
}
