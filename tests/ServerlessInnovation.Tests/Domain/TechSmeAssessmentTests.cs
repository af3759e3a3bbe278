using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Tests.Domain;

public sealed class TechSmeAssessmentTests
{
    [Theory]
    [InlineData(100, 20)]
    [InlineData(30, 20)]
    [InlineData(29, 16)]
    [InlineData(25, 16)]
    [InlineData(20, 12)]
    [InlineData(15, 8)]
    [InlineData(10, 4)]
    [InlineData(9, 0)]
    [InlineData(0, 0)]
    public void TechStaffPointsFollowTheOfficialSteps(int sharePercent, int points) =>
        Assert.Equal(points, TechSmeAssessment.TechStaffPoints(sharePercent));

    [Theory]
    [InlineData(60_000, 1_000_000, 50)]
    [InlineData(59_999, 1_000_000, 40)]
    [InlineData(50_000, 1_000_000, 40)]
    [InlineData(40_000, 1_000_000, 30)]
    [InlineData(30_000, 1_000_000, 20)]
    [InlineData(20_000, 1_000_000, 10)]
    [InlineData(19_999, 1_000_000, 0)]
    [InlineData(1, 0, 50)]
    [InlineData(0, 0, 0)]
    public void RdIntensityPointsFollowTheOfficialSteps(long rdExpense, long revenue, int points) =>
        Assert.Equal(points, TechSmeAssessment.RdIntensityPoints(rdExpense, revenue));

    [Fact]
    public void IpPointsPreferAnyClassIOverManyClassII()
    {
        Assert.Equal(30, TechSmeAssessment.IpPoints(new(1, 0)));
        Assert.Equal(24, TechSmeAssessment.IpPoints(new(0, 9)));
        Assert.Equal(18, TechSmeAssessment.IpPoints(new(0, 3)));
        Assert.Equal(0, TechSmeAssessment.IpPoints(null));
    }

    [Fact]
    public void EnoughRdStaffAndSpendingQualifies()
    {
        var assessment = TechSmeAssessment.Assess(Build.Profile() with { RdStaffSharePercent = 30, LastYearRevenueCny = 1_000_000, LastYearRdExpenseCny = 60_000 });

        Assert.Equal(TechSmeStatus.Qualified, assessment.Status);
        Assert.Equal(70, assessment.Score);
    }

    [Fact]
    public void ScoreBelowSixtyDoesNotQualify()
    {
        var assessment = TechSmeAssessment.Assess(Build.Profile() with { RdStaffSharePercent = 12, LastYearRevenueCny = 1_000_000, LastYearRdExpenseCny = 30_000 });

        Assert.Equal(TechSmeStatus.NotQualified, assessment.Status);
        Assert.Equal(24, assessment.Score);
    }

    [Fact]
    public void TooFewTechnicalStaffFailsWhateverTheRest()
    {
        var assessment = TechSmeAssessment.Assess(Build.Profile() with { RdStaffSharePercent = 5, IntellectualProperty = new(5, 0) });

        Assert.Equal(TechSmeStatus.NotQualified, assessment.Status);
        Assert.Contains("10%", assessment.Explanation.Zh);
    }

    [Fact]
    public void AboveTheSizeLimitsFails()
    {
        Assert.Equal(TechSmeStatus.NotQualified, TechSmeAssessment.Assess(Build.Profile() with { TeamSize = 501 }).Status);
        Assert.Equal(TechSmeStatus.NotQualified, TechSmeAssessment.Assess(Build.Profile() with { LastYearRevenueCny = 200_000_001 }).Status);
        Assert.Equal(TechSmeStatus.NotQualified, TechSmeAssessment.Assess(Build.Profile() with { TotalAssetsCny = 200_000_001 }).Status);
    }

    [Fact]
    public void UnregisteredStartupIsNotYetSubjectToTheTest() =>
        Assert.Equal(TechSmeStatus.NotApplicable, TechSmeAssessment.Assess(Build.Profile() with { RegisteredOn = null }).Status);

    [Fact]
    public void MissingRdExpenseLeavesTheTestUnscored() =>
        Assert.Equal(TechSmeStatus.NotAssessed, TechSmeAssessment.Assess(Build.Profile() with { LastYearRdExpenseCny = null }).Status);

    [Theory]
    [InlineData("2024-11-22", 24)]
    [InlineData("2024-11-23", 23)]
    [InlineData("2026-10-22", 1)]
    [InlineData("2026-10-23", 0)]
    [InlineData("2026-11-22", 0)]
    public void CompanyAgeCountsWholeMonths(string registered, int months) =>
        Assert.Equal(months, (Build.Profile() with { RegisteredOn = DateOnly.Parse(registered, System.Globalization.CultureInfo.InvariantCulture) }).CompanyAgeMonths(Build.Today));
}
