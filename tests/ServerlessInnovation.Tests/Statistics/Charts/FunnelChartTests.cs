using ServerlessInnovation.Functions.Statistics.Charts;
using static ServerlessInnovation.Tests.Statistics.Charts.SvgFixtures;

namespace ServerlessInnovation.Tests.Statistics.Charts;

public sealed class FunnelChartTests
{
    [Fact]
    public void StagesShowTheirCountsAndTheirShareOfTheFirstStage()
    {
        var document = Parse(SvgCharts.Funnel(Title, Bars(("已提交", 1200), ("已决定", 600), ("已入孵", 150))));

        Assert.Equal(["已提交", "已决定", "已入孵"], Texts(document, "label"));
        Assert.Equal(["1,200", "600", "150"], Texts(document, "value"));
        Assert.Equal(["100.0%", "50.0%", "12.5%"], Texts(document, "share"));
        Assert.Equal("已决定 / 已决定 (en): 600 (50.0%)", Tooltip(Find(document, "g", "row")[1]));
    }

    [Fact]
    public void StageWidthsAreProportionalAndCentred()
    {
        var document = Parse(SvgCharts.Funnel(Title, Bars(("已提交", 200), ("已决定", 100), ("已入孵", 50))));

        var stages = Find(document, "rect", "stage");
        var widths = stages.Select(s => Number(s, "width")).ToList();
        Assert.Equal(widths[0] / 2, widths[1], 0.01);
        Assert.Equal(widths[0] / 4, widths[2], 0.01);
        var centres = stages.Select(s => Number(s, "x") + Number(s, "width") / 2).ToList();
        Assert.All(centres, c => Assert.Equal(centres[0], c, 0.01));
        var tops = stages.Select(s => Number(s, "y")).ToList();
        Assert.Equal(tops.Order(), tops);
        Assert.Equal(2, Find(document, "polygon", "connector").Count);
    }

    [Fact]
    public void AnEmptyFirstStageGivesNoShareRatherThanNaN()
    {
        var document = Parse(SvgCharts.Funnel(Title, Bars(("已提交", 0), ("已决定", 0))));

        Assert.Equal(["—", "—"], Texts(document, "share"));
        Assert.All(Find(document, "rect", "stage"), s => Assert.Equal(0, Number(s, "width")));
    }

    [Fact]
    public void ALaterStageLargerThanTheFirstStillFits()
    {
        var document = Parse(SvgCharts.Funnel(Title, Bars(("已提交", 10), ("已决定", 20))));

        Assert.Equal(["100.0%", "200.0%"], Texts(document, "share"));
        var stages = Find(document, "rect", "stage");
        Assert.Equal(Number(stages[1], "width") / 2, Number(stages[0], "width"), 0.01);
    }
}
