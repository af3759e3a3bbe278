using ServerlessInnovation.Functions.Statistics.Charts;
using static ServerlessInnovation.Tests.Statistics.Charts.SvgFixtures;

namespace ServerlessInnovation.Tests.Statistics.Charts;

public sealed class StackedBarChartTests
{
    private static readonly string Chart = SvgCharts.StackedBars(
        Title,
        [Label("西湖区"), Label("滨江区"), Label("余杭区")],
        [Series("孵化器", 10, 30, 5), Series("众创空间", 20, 10, 0)],
        Unit);

    [Fact]
    public void EachCategoryHasOneSegmentPerSeriesInTheLegendsColours()
    {
        var document = Parse(Chart);

        var rows = Find(document, "g", "row");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["西湖区", "滨江区", "余杭区"], Texts(document, "label"));
        Assert.Equal(["孵化器", "众创空间"], Texts(document, "legend-label"));
        var swatches = Find(document, "rect", "swatch").Select(s => (string?)s.Attribute("fill")).ToList();
        Assert.Equal(2, swatches.Distinct().Count());
        foreach (var row in rows)
        {
            Assert.Equal(swatches, Find(row, "rect", "segment").Select(s => (string?)s.Attribute("fill")));
        }
        Assert.Equal(["孵化器 / 孵化器 (en) · 西湖区: 10 家", "众创空间 / 众创空间 (en) · 西湖区: 20 家"], Find(rows[0], "rect", "segment").Select(Tooltip));
    }

    [Fact]
    public void SegmentsAreContiguousAndAddUpToTheCategoryTotal()
    {
        var document = Parse(Chart);

        Assert.Equal(["30", "40", "5"], Texts(document, "total"));
        var rows = Find(document, "g", "row");
        var lengths = new List<double>();
        foreach (var row in rows)
        {
            var segments = Find(row, "rect", "segment");
            for (var i = 1; i < segments.Count; i++)
            {
                Assert.Equal(Number(segments[i - 1], "x") + Number(segments[i - 1], "width"), Number(segments[i], "x"), 0.001);
            }
            lengths.Add(segments.Sum(s => Number(s, "width")));
        }
        var longest = lengths.Max();
        Assert.Equal(longest, lengths[1]);
        Assert.Equal(longest * 30 / 40, lengths[0], 0.01);
        Assert.Equal(longest * 5 / 40, lengths[2], 0.01);
        var westLake = Find(rows[0], "rect", "segment").Select(s => Number(s, "width")).ToList();
        Assert.Equal(westLake[0] * 2, westLake[1], 0.02);
        Assert.Equal(0, Number(Find(rows[2], "rect", "segment")[1], "width"));
    }

    [Fact]
    public void ASeriesShorterThanTheCategoriesCountsZeroForTheRest()
    {
        var document = Parse(SvgCharts.StackedBars(Title, [Label("西湖区"), Label("滨江区")], [Series("孵化器", 4, 6), Series("众创空间", 2)], Unit));

        Assert.Equal(["6", "6"], Texts(document, "total"));
        Assert.Equal(0, Number(Find(Find(document, "g", "row")[1], "rect", "segment")[1], "width"));
    }

    [Fact]
    public void ManySeriesWrapTheLegendOntoMoreRowsAndPushTheBarsDown()
    {
        var few = Parse(SvgCharts.StackedBars(Title, [Label("西湖区")], [Series("孵化器", 1)], Unit));
        var many = Parse(SvgCharts.StackedBars(Title, [Label("西湖区")], [.. Enumerable.Range(0, 12).Select(i => Series("国家级科技企业孵化器" + i, 1))], Unit));

        var rows = Find(many, "rect", "swatch").Select(s => Number(s, "y")).Distinct().Count();
        Assert.True(rows > 1, $"{rows} legend rows");
        Assert.All(Find(many, "rect", "swatch"), s => Assert.InRange(Number(s, "x") + 12, 0, SvgCharts.Width - 24));
        Assert.True(Number(Find(many, "rect", "segment")[0], "y") > Number(Find(few, "rect", "segment")[0], "y"));
        Assert.Equal(12, Find(many, "rect", "segment").Count);
    }
}
