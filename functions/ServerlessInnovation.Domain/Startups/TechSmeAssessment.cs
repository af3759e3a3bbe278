namespace ServerlessInnovation.Domain.Startups;

public enum TechSmeStatus
{
    /// <summary>Meets the test: size limits and at least 60 points with tech-staff points above zero.</summary>
    Qualified = 1,

    /// <summary>Fails the test.</summary>
    NotQualified = 2,

    /// <summary>Not yet registered: the test applies once the company exists.</summary>
    NotApplicable = 3,

    /// <summary>Registered, but R&amp;D expense was not given, so the score cannot be computed.</summary>
    NotAssessed = 4,
}

/// <summary>The 科技型中小企业 (tech-based SME) evaluation: size limits, then a 100-point score.</summary>
/// <param name="Score">Points out of 100, when the score could be computed.</param>
public sealed record TechSmeAssessment(TechSmeStatus Status, int? Score, LocalizedText Explanation)
{
    public const int MaxStaff = 500;
    public const long MaxRevenueCny = 200_000_000;
    public const long MaxAssetsCny = 200_000_000;
    public const int PassingScore = 60;

    public static TechSmeAssessment Assess(StartupProfile profile)
    {
        if (profile.RegisteredOn is null)
        {
            return new(TechSmeStatus.NotApplicable, null,
                new("尚未注册企业，注册后再进行科技型中小企业评价", "Not registered yet: the tech-based SME test applies after registration"));
        }
        if (profile.TeamSize > MaxStaff || profile.LastYearRevenueCny > MaxRevenueCny || profile.TotalAssetsCny > MaxAssetsCny)
        {
            return new(TechSmeStatus.NotQualified, null,
                new("超出科技型中小企业规模上限（职工500人、营业收入和资产总额各2亿元）",
                    "Above the tech-based SME size limits (500 staff, CNY 200 million revenue and assets)"));
        }

        var staffPoints = TechStaffPoints(profile.RdStaffSharePercent);
        if (staffPoints == 0)
        {
            return new(TechSmeStatus.NotQualified, null,
                new("科技人员占比低于10%", "Technical staff below 10% of the team"));
        }
        if (profile.LastYearRdExpenseCny is not { } rdExpense)
        {
            return new(TechSmeStatus.NotAssessed, null,
                new("未提供研发投入，无法评价是否符合科技型中小企业条件", "R&D expense not given: the tech-based SME test cannot be scored"));
        }

        var score = staffPoints + RdIntensityPoints(rdExpense, profile.LastYearRevenueCny) + IpPoints(profile.IntellectualProperty);
        return score >= PassingScore
            ? new(TechSmeStatus.Qualified, score, new($"科技型中小企业评价得分{score}分，符合条件", $"Tech-based SME score {score}: qualifies"))
            : new(TechSmeStatus.NotQualified, score, new($"科技型中小企业评价得分{score}分，低于60分", $"Tech-based SME score {score}: below 60"));
    }

    /// <summary>Technical staff share: 20 points at 30% or more, 4 points less per 5% step, 0 below 10%.</summary>
    public static int TechStaffPoints(int sharePercent) => sharePercent switch
    {
        >= 30 => 20,
        >= 25 => 16,
        >= 20 => 12,
        >= 15 => 8,
        >= 10 => 4,
        _ => 0,
    };

    /// <summary>R&amp;D expense over revenue: 50 points at 6% or more, 10 less per percentage point, 0 below 2%. Before any revenue, R&amp;D spending is all there is: full points.</summary>
    public static int RdIntensityPoints(long rdExpenseCny, long revenueCny)
    {
        if (rdExpenseCny <= 0)
        {
            return 0;
        }
        if (revenueCny <= 0)
        {
            return 50;
        }
        var percent = rdExpenseCny * 100m / revenueCny;
        return percent switch
        {
            >= 6 => 50,
            >= 5 => 40,
            >= 4 => 30,
            >= 3 => 20,
            >= 2 => 10,
            _ => 0,
        };
    }

    /// <summary>IP: 30 points for any class I IP, else 6 per class II item up to 24; none when not given.</summary>
    public static int IpPoints(IntellectualProperty? ip) => ip switch
    {
        null => 0,
        { ClassI: > 0 } => 30,
        { ClassII: >= 4 } => 24,
        { ClassII: var n } => Math.Max(0, n) * 6,
    };
}
