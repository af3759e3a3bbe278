using System.Globalization;
using System.Xml.Linq;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Functions.Statistics.Charts;

namespace ServerlessInnovation.Tests.Statistics.Charts;

/// <summary>Reads the charts back as XML and checks what every chart must satisfy.</summary>
internal static class SvgFixtures
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static readonly LocalizedText Title = new("各区载体数量", "Carriers by district");
    public static readonly LocalizedText Unit = new("家", "carriers");

    /// <summary>The only elements a chart may contain: nothing that runs, loads or embeds.</summary>
    private static readonly HashSet<string> AllowedElements = ["svg", "title", "g", "rect", "line", "polyline", "polygon", "circle", "text"];

    private static readonly HashSet<string> NumericAttributes = ["x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r", "font-size", "stroke-width"];

    /// <summary>Parses a chart and checks it is a safe, standalone SVG 1.1 document whose every number is finite.</summary>
    public static XDocument Parse(string svg)
    {
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", svg, StringComparison.Ordinal);
        var document = XDocument.Parse(svg);
        var root = document.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("1.1", (string?)root.Attribute("version"));
        Assert.Equal("\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif", (string?)root.Attribute("font-family"));
        Assert.Equal(SvgCharts.Width, Number(root, "width"));
        Assert.Equal($"0 0 720 {(string?)root.Attribute("height")}", (string?)root.Attribute("viewBox"));
        Assert.Equal(Svg + "title", root.Elements().First().Name);
        foreach (var element in root.DescendantsAndSelf())
        {
            Assert.Equal(Svg, element.Name.Namespace);
            Assert.Contains(element.Name.LocalName, AllowedElements);
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
            {
                Assert.DoesNotContain("href", attribute.Name.LocalName, StringComparison.OrdinalIgnoreCase);
                Assert.False(attribute.Name.LocalName.StartsWith("on", StringComparison.Ordinal), attribute.ToString());
                if (NumericAttributes.Contains(attribute.Name.LocalName))
                {
                    AssertCoordinate(attribute.Value);
                }
                else if (attribute.Name.LocalName == "points")
                {
                    foreach (var value in attribute.Value.Split(' ', ','))
                    {
                        AssertCoordinate(value);
                    }
                }
            }
        }
        return document;
    }

    public static string DocumentTitle(XDocument document) => document.Root!.Element(Svg + "title")!.Value;

    /// <summary>The elements of that name and CSS class, in document order.</summary>
    public static List<XElement> Find(XContainer container, string name, string cssClass) =>
        [.. container.Descendants(Svg + name).Where(e => (string?)e.Attribute("class") == cssClass)];

    public static List<string> Texts(XContainer container, string cssClass) => [.. Find(container, "text", cssClass).Select(e => e.Value)];

    public static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static List<(double X, double Y)> Points(XElement polyline) =>
    [
        .. ((string)polyline.Attribute("points")!).Split(' ').Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))),
    ];

    /// <summary>The tooltip of an element: its own <c>&lt;title&gt;</c> child.</summary>
    public static string Tooltip(XElement element) => element.Element(Svg + "title")!.Value;

    public static IReadOnlyList<ChartBar> Bars(params (string Zh, double Value)[] bars) =>
        [.. bars.Select(b => new ChartBar(new LocalizedText(b.Zh, b.Zh + " (en)"), b.Value))];

    public static ChartSeries Series(string zh, params double[] values) => new(new LocalizedText(zh, zh + " (en)"), values);

    public static LocalizedText Label(string zh) => new(zh, zh + " (en)");

    public static IReadOnlyList<DateOnly> Days(int count) => [.. Enumerable.Range(0, count).Select(i => new DateOnly(2025, 5, 1).AddDays(i))];

    private static void AssertCoordinate(string value)
    {
        Assert.Matches(@"^-?\d+(\.\d{1,2})?$", value);
        Assert.True(double.IsFinite(double.Parse(value, CultureInfo.InvariantCulture)), value);
    }
}
