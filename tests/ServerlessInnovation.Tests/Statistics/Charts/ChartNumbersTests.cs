using ServerlessInnovation.Functions.Statistics.Charts;

namespace ServerlessInnovation.Tests.Statistics.Charts;

public sealed class ChartNumbersTests
{
    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(double.PositiveInfinity, 0)]
    [InlineData(double.NegativeInfinity, 0)]
    [InlineData(-3, 0)]
    [InlineData(2.5, 2.5)]
    [InlineData(1e300, ChartNumbers.MaxValue)]
    public void ValuesAreCleanedBeforeTheyAreDrawn(double value, double expected)
    {
        Assert.Equal(expected, ChartNumbers.Clean(value));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.001, "0")]
    [InlineData(12.345, "12.35")]
    [InlineData(12.3, "12.3")]
    [InlineData(720, "720")]
    [InlineData(double.NaN, "0")]
    public void CoordinatesHaveAtMostTwoDecimalsAndNoNegativeZero(double value, string expected)
    {
        Assert.Equal(expected, ChartNumbers.Coordinate(value));
    }

    [Theory]
    [InlineData(1, 3, "33.3%")]
    [InlineData(2, 3, "66.7%")]
    [InlineData(3, 0, "—")]
    [InlineData(double.NaN, 4, "0.0%")]
    [InlineData(1, double.NaN, "—")]
    public void SharesArePercentagesWithOneDecimal(double part, double whole, string expected)
    {
        Assert.Equal(expected, ChartNumbers.Percent(part, whole));
    }

    [Theory]
    [InlineData(0.2, false, 0.05)]
    [InlineData(1, false, 0.2)]
    [InlineData(1, true, 1)]
    [InlineData(1000, true, 200)]
    [InlineData(1001, true, 500)]
    [InlineData(30, true, 10)]
    public void TickStepsAreOneTwoOrFiveTimesAPowerOfTen(double max, bool whole, double step)
    {
        var ticks = ChartNumbers.Ticks(max, whole);

        Assert.Equal(step, ticks.Step, step / 1e9);
        Assert.True(ticks.Top >= max);
    }
}
