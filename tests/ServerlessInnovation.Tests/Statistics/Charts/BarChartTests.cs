using ServerlessInnovation.Functions.Statistics.Charts;
using static ServerlessInnovation.Tests.Statistics.Charts.SvgFixtures;

namespace ServerlessInnovation.Tests.Statistics.Charts;

public sealed class BarChartTests
{
    [Fact]
    public void OneBarIsDrawnPerItemInTheGivenOrderWithItsChineseLabel()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("西湖区", 12), ("滨江区", 30), ("余杭区", 7)), Unit));

        Assert.Equal(3, Find(document, "rect", "bar").Count);
        Assert.Equal(["西湖区", "滨江区", "余杭区"], Texts(document, "label"));
        Assert.Equal(["12", "30", "7"], Texts(document, "value"));
        var tops = Find(document, "rect", "bar").Select(r => Number(r, "y")).ToList();
        Assert.Equal(tops.Order(), tops);
        Assert.Equal(["西湖区 / 西湖区 (en): 12 家", "滨江区 / 滨江区 (en): 30 家", "余杭区 / 余杭区 (en): 7 家"], Find(document, "g", "row").Select(Tooltip));
    }

    [Fact]
    public void BarLengthsAreProportionalToTheValues()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("甲", 40), ("乙", 80), ("丙", 20), ("丁", 0), ("戊", 60)), Unit));

        var widths = Find(document, "rect", "bar").Select(r => Number(r, "width")).ToList();
        var longest = widths.Max();
        Assert.Equal(longest, widths[1]);
        Assert.True(longest > 300, $"The longest bar is {longest} wide.");
        Assert.Equal(longest / 2, widths[0], 0.01);
        Assert.Equal(longest / 4, widths[2], 0.01);
        Assert.Equal(0, widths[3]);
        Assert.Equal(longest * 3 / 4, widths[4], 0.01);
        Assert.Single(Find(document, "rect", "bar").Select(r => Number(r, "x")).Distinct());
    }

    [Fact]
    public void EachValueIsPrintedAtTheEndOfItsBar()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("甲", 10), ("乙", 5)), Unit));

        var bars = Find(document, "rect", "bar");
        var values = Find(document, "text", "value");
        for (var i = 0; i < bars.Count; i++)
        {
            var end = Number(bars[i], "x") + Number(bars[i], "width");
            Assert.InRange(Number(values[i], "x") - end, 0, 10);
        }
    }

    [Fact]
    public void ValuesHaveThousandsSeparatorsAndDecimalsOnlyWhenNeeded()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("甲", 1234567), ("乙", 1234.5), ("丙", 3), ("丁", 0.25), ("戊", 2.0004)), Unit));

        Assert.Equal(["1,234,567", "1,234.5", "3", "0.25", "2"], Texts(document, "value"));
    }

    [Fact]
    public void AllZeroValuesDrawEmptyBars()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("甲", 0), ("乙", 0)), Unit));

        Assert.All(Find(document, "rect", "bar"), r => Assert.Equal(0, Number(r, "width")));
        Assert.Equal(["0", "0"], Texts(document, "value"));
    }
}
