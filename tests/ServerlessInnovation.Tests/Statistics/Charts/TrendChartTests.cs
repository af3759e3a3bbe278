using System.Globalization;
using ServerlessInnovation.Functions.Statistics.Charts;
using static ServerlessInnovation.Tests.Statistics.Charts.SvgFixtures;

namespace ServerlessInnovation.Tests.Statistics.Charts;

public sealed class TrendChartTests
{
    [Fact]
    public void ThirtyDatesGiveThirtyPointsPerSeriesLeftToRight()
    {
        var days = Days(30);
        var document = Parse(SvgCharts.Trend(Title, days,
            [Series("提交", [.. Enumerable.Range(0, 30).Select(i => (double)i)]), Series("入孵", [.. Enumerable.Range(0, 30).Select(i => i / 2.0)])], Unit));

        var lines = Find(document, "polyline", "line");
        Assert.Equal(2, lines.Count);
        foreach (var line in lines)
        {
            var points = Points(line);
            Assert.Equal(30, points.Count);
            Assert.Equal(points.OrderBy(p => p.X), points);
        }
        Assert.All(Find(document, "g", "series"), s => Assert.Equal(30, Find(s, "circle", "point").Count));
        Assert.Equal(["提交", "入孵"], Texts(document, "legend-label"));
        Assert.NotEqual(lines[0].Attribute("stroke")!.Value, lines[1].Attribute("stroke")!.Value);
        var labels = Texts(document, "x-tick");
        Assert.Equal("05-01", labels[0]);
        Assert.InRange(labels.Count, 5, 15);
        Assert.All(labels, l => Assert.Matches(@"^\d\d-\d\d$", l));
        Assert.Equal("2025-05-30 提交: 29 家", Tooltip(Find(document, "circle", "point")[29]));
    }

    [Theory]
    [InlineData(7, new[] { "0", "2", "4", "6", "8" })]
    [InlineData(10, new[] { "0", "2", "4", "6", "8", "10" })]
    [InlineData(1, new[] { "0", "1" })]
    [InlineData(0, new[] { "0", "1" })]
    [InlineData(23, new[] { "0", "5", "10", "15", "20", "25" })]
    [InlineData(1234, new[] { "0", "500", "1,000", "1,500" })]
    [InlineData(0.8, new[] { "0.0", "0.2", "0.4", "0.6", "0.8" })]
    [InlineData(0.03, new[] { "0.00", "0.01", "0.02", "0.03" })]
    public void YTicksAreNiceRoundNumbersFromZeroCoveringTheMaximum(double max, string[] expected)
    {
        var document = Parse(SvgCharts.Trend(Title, Days(3), [Series("提交", 0, Math.Floor(max / 2), max)], Unit));

        Assert.Equal(expected, Texts(document, "y-tick"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(97)]
    [InlineData(12345)]
    [InlineData(0.7)]
    [InlineData(5e14)]
    public void TheTopTickIsAStepOf125TimesAPowerOfTenAboveTheMaximum(double max)
    {
        var document = Parse(SvgCharts.Trend(Title, Days(2), [Series("提交", max / 3, max)], Unit));

        var ticks = Texts(document, "y-tick").Select(t => double.Parse(t, NumberStyles.Number, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(0, ticks[0]);
        var step = ticks[1];
        var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        Assert.All(ticks.Select((t, i) => (t, i)), x => Assert.Equal(x.i * step, x.t, step / 1000));
        Assert.True(ticks[^1] >= max, $"top tick {ticks[^1]} below {max}");
        Assert.True(ticks[^2] < max, $"tick {ticks[^2]} already covers {max}");
        Assert.InRange(ticks.Count, 2, 6);
    }

    [Fact]
    public void PointsSitOnTheAxisScale()
    {
        var document = Parse(SvgCharts.Trend(Title, Days(3), [Series("提交", 0, 50, 100)], Unit));

        var points = Points(Find(document, "polyline", "line").Single());
        var gridYs = Find(document, "text", "y-tick").Select(t => Number(t, "y")).ToList();
        var axis = Number(Find(document, "line", "axis").Single(), "y1");
        var top = Find(document, "line", "grid").Select(l => Number(l, "y1")).Min();
        Assert.Equal(["0", "20", "40", "60", "80", "100"], Texts(document, "y-tick"));
        Assert.Equal(axis, points[0].Y);
        Assert.Equal(top, points[2].Y);
        Assert.Equal((axis + top) / 2, points[1].Y, 0.01);
        Assert.Equal((points[0].X + points[2].X) / 2, points[1].X, 0.01);
        Assert.Equal(gridYs.OrderDescending(), gridYs);
    }

    [Fact]
    public void ASingleDateDrawsOnePointInTheMiddle()
    {
        var document = Parse(SvgCharts.Trend(Title, [new DateOnly(2025, 6, 1)], [Series("提交", 4)], Unit));

        var point = Find(document, "circle", "point").Single();
        Assert.Single(Points(Find(document, "polyline", "line").Single()));
        Assert.Equal(["06-01"], Texts(document, "x-tick"));
        var axis = Find(document, "line", "axis").Single();
        Assert.Equal((Number(axis, "x1") + Number(axis, "x2")) / 2, Number(point, "cx"), 0.01);
    }

    [Fact]
    public void ASeriesShorterThanTheDatesEndsEarlyAndALongerOneIsCut()
    {
        var document = Parse(SvgCharts.Trend(Title, Days(5), [Series("短", 1, 2), Series("长", 1, 2, 3, 4, 5, 6, 7)], Unit));

        var lines = Find(document, "polyline", "line");
        Assert.Equal(2, Points(lines[0]).Count);
        Assert.Equal(5, Points(lines[1]).Count);
        Assert.Equal("5", Texts(document, "y-tick")[^1]);
    }
}
