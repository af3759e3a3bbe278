using System.Xml.Linq;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Functions.Statistics.Charts;
using static ServerlessInnovation.Tests.Statistics.Charts.SvgFixtures;

namespace ServerlessInnovation.Tests.Statistics.Charts;

/// <summary>What holds for every kind of chart: a safe standalone document, escaping, robustness, determinism.</summary>
public sealed class SvgChartsTests
{
    public static TheoryData<string> Kinds => ["bars", "stacked", "funnel", "trend"];

    /// <summary>Draws a chart of the kind with one label and one value per item.</summary>
    private static string Draw(string kind, LocalizedText title, IReadOnlyList<(LocalizedText Label, double Value)> items) => kind switch
    {
        "bars" => SvgCharts.Bars(title, [.. items.Select(i => new ChartBar(i.Label, i.Value))], Unit),
        "stacked" => SvgCharts.StackedBars(title, [.. items.Select(i => i.Label)], [new ChartSeries(Label("孵化器"), [.. items.Select(i => i.Value)])], Unit),
        "funnel" => SvgCharts.Funnel(title, [.. items.Select(i => new ChartBar(i.Label, i.Value))]),
        "trend" => SvgCharts.Trend(title, Days(items.Count), [.. items.Select(i => new ChartSeries(i.Label, [.. items.Select(j => j.Value)]))], Unit),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Draw(string kind, params double[] values) =>
        Draw(kind, Title, [.. values.Select((v, i) => (Label("标签" + i), v))]);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryChartIsAStandaloneSvgWithItsTitleInChineseThenEnglish(string kind)
    {
        var document = Parse(Draw(kind, 3, 2, 1));

        Assert.Equal("各区载体数量 / Carriers by district", DocumentTitle(document));
        Assert.Equal(["各区载体数量"], Texts(document, "title"));
        Assert.Equal(["Carriers by district"], Texts(document, "subtitle"));
        Assert.Equal("http://www.w3.org/2000/svg", document.Root!.GetDefaultNamespace().NamespaceName);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EmptyInputDrawsTheFrameSayingNoData(string kind)
    {
        var document = Parse(Draw(kind));

        Assert.Equal(["暂无数据 / No data"], Texts(document, "empty"));
        Assert.Single(Find(document, "rect", "background"));
        Assert.Equal(["各区载体数量"], Texts(document, "title"));
    }

    [Fact]
    public void ChartsWithCategoriesOrDatesButNoSeriesSayNoData()
    {
        var stacked = Parse(SvgCharts.StackedBars(Title, [Label("西湖区")], [], Unit));
        var trend = Parse(SvgCharts.Trend(Title, Days(3), [], Unit));

        Assert.Equal(["暂无数据 / No data"], Texts(stacked, "empty"));
        Assert.Equal(["暂无数据 / No data"], Texts(trend, "empty"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void HostileLabelsAreEscapedAndNeverBecomeElements(string kind)
    {
        LocalizedText[] labels =
        [
            new("<script>alert(1)</script>", "</text><script>x</script>"),
            new("A & B \"引号\" 'single'", "]]><foreignObject/>"),
            new("控制\u0000字符\u0001\u001F\u007F\u0085\uFFFE\uD800", "tab\there\r\nline"),
        ];
        var title = new LocalizedText("<svg onload=\"alert(1)\">", "&amp; <b>");

        var svg = Draw(kind, title, [.. labels.Select(l => (l, 1.0))]);
        var document = Parse(svg);

        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<foreignObject", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "script" or "foreignObject" or "b");
        Assert.Single(document.Descendants(Svg + "svg"));
        Assert.Equal("<svg onload=\"alert(1)\"> / &amp; <b>", DocumentTitle(document));
        var tooltips = document.Descendants(Svg + "title").Select(t => t.Value).ToList();
        Assert.Contains(tooltips, t => t.StartsWith("<script>alert(1)</script> / </text><script>x</script>", StringComparison.Ordinal));
        Assert.Contains(tooltips, t => t.StartsWith("A & B \"引号\" 'single' / ]]><foreignObject/>", StringComparison.Ordinal));
        Assert.Contains(tooltips, t => t.StartsWith("控制字符 / tab here  line", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NanInfinitiesNegativesAndHugeValuesNeverLeakIntoTheDrawing(string kind)
    {
        // Parse checks that no NaN or Infinity is written and that every coordinate is a finite number.
        Parse(Draw(kind, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -5, double.MaxValue, 1e300, double.Epsilon, 0));
        Parse(Draw(kind, double.NaN, double.NaN));
        Parse(Draw(kind, 0, 0, 0));
        Parse(Draw(kind, -1));
    }

    [Fact]
    public void NanInfinitiesAndNegativesAreDrawnAsZero()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("甲", double.NaN), ("乙", double.PositiveInfinity), ("丙", -5), ("丁", 10)), Unit));

        var widths = Find(document, "rect", "bar").Select(r => Number(r, "width")).ToList();
        Assert.Equal([0, 0, 0], widths[..3]);
        Assert.True(widths[3] > 0);
        Assert.Equal(["0", "0", "0", "10"], Texts(document, "value"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void IdenticalInputGivesIdenticalOutput(string kind)
    {
        Assert.Equal(Draw(kind, 1234.5, 17, 0, 3), Draw(kind, 1234.5, 17, 0, 3));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LongLabelsAreShortenedWithAnEllipsisAndKeptWholeInTheTooltip(string kind)
    {
        var long1 = new string('孵', 40);
        var long2 = "Hangzhou Future Sci-Tech City Innovation Incubator Phase Two";
        var longTitle = new LocalizedText(new string('统', 60), "");

        var document = Parse(Draw(kind, longTitle, [(new LocalizedText(long1, "en"), 1), (new LocalizedText(long2, ""), 2)]));

        var shown = document.Descendants(Svg + "text").Select(t => t.Value).Where(t => t.EndsWith('…')).ToList();
        Assert.Contains(shown, t => t.StartsWith("孵孵", StringComparison.Ordinal) && t.Length < 20);
        Assert.Contains(shown, t => t.StartsWith("Hangzhou", StringComparison.Ordinal) && t.Length < long2.Length);
        Assert.Contains(shown, t => t.StartsWith("统统", StringComparison.Ordinal) && t.Length < 60);
        var tooltips = document.Descendants(Svg + "title").Select(t => t.Value).ToList();
        Assert.Contains(tooltips, t => t.Contains(long1, StringComparison.Ordinal));
        Assert.Contains(tooltips, t => t.Contains(long2, StringComparison.Ordinal));
        Assert.Equal(longTitle.Zh, DocumentTitle(document));
    }

    [Fact]
    public void TheHeightGrowsWithTheNumberOfBarsAndTheWidthStaysFixed()
    {
        var sizes = new[] { 1, 5, 20 }
            .Select(n => Parse(SvgCharts.Bars(Title, [.. Enumerable.Range(0, n).Select(i => new ChartBar(Label("区" + i), i))], Unit)).Root!)
            .Select(root => (Width: Number(root, "width"), Height: Number(root, "height")))
            .ToList();

        Assert.All(sizes, s => Assert.Equal(720, s.Width));
        Assert.True(sizes[0].Height < sizes[1].Height && sizes[1].Height < sizes[2].Height, string.Join(", ", sizes));
        Assert.Equal(15 * (sizes[1].Height - sizes[0].Height) / 4, sizes[2].Height - sizes[1].Height, 2);
    }

    [Fact]
    public void TheUnitIsCaptionedInBothLanguages()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("西湖区", 12)), Unit));

        Assert.Equal(["单位：家 / Unit: carriers"], Texts(document, "unit"));
        Assert.Equal("西湖区 / 西湖区 (en): 12 家", Tooltip(Find(document, "g", "row").Single()));
    }

    [Fact]
    public void ChartsWithoutAUnitHaveNoUnitCaption()
    {
        var document = Parse(SvgCharts.Bars(Title, Bars(("西湖区", 12)), default));

        Assert.Empty(Texts(document, "unit"));
        Assert.Equal("西湖区 / 西湖区 (en): 12", Tooltip(Find(document, "g", "row").Single()));
    }

    [Fact]
    public void AnEnglishOnlyLabelIsShownInEnglish()
    {
        var document = Parse(SvgCharts.Bars(new LocalizedText("", "Carriers"), [new ChartBar(new LocalizedText("  ", "Xihu"), 1)], Unit));

        Assert.Equal(["Xihu"], Texts(document, "label"));
        Assert.Equal(["Carriers"], Texts(document, "title"));
        Assert.Empty(Texts(document, "subtitle"));
        Assert.Equal("Carriers", DocumentTitle(document));
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => SvgCharts.Bars(Title, null!, Unit));
        Assert.Throws<ArgumentNullException>(() => SvgCharts.StackedBars(Title, null!, [], Unit));
        Assert.Throws<ArgumentNullException>(() => SvgCharts.Funnel(Title, null!));
        Assert.Throws<ArgumentNullException>(() => SvgCharts.Trend(Title, [], null!, Unit));
    }

    [Fact]
    public void TheDocumentIsUtf8TextThatXmlReadersAccept()
    {
        var svg = SvgCharts.Bars(Title, Bars(("西湖区", 12)), Unit);

        using var reader = System.Xml.XmlReader.Create(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(svg)), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit });
        var document = XDocument.Load(reader);
        Assert.Equal("西湖区", Texts(document, "label").Single());
    }
}
