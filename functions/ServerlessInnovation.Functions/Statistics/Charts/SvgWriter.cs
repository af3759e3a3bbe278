using System.Text;
using System.Xml;

namespace ServerlessInnovation.Functions.Statistics.Charts;

/// <summary>
/// The SVG elements the charts use, written with <see cref="XmlWriter"/> so that every text is escaped and the document
/// is well formed. Coordinates go through <see cref="ChartNumbers.Coordinate"/>; text through <see cref="ChartText.Clean"/>.
/// </summary>
internal sealed class SvgWriter : IDisposable
{
    public const string Namespace = "http://www.w3.org/2000/svg";
    public const string FontFamily = "\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Entitize,
    };

    private readonly MemoryStream _stream = new();
    private readonly XmlWriter _xml;

    /// <summary>Starts the document: the root element, then the accessible <c>&lt;title&gt;</c>.</summary>
    public SvgWriter(double width, double height, string title)
    {
        _xml = XmlWriter.Create(_stream, Settings);
        _xml.WriteStartDocument();
        _xml.WriteStartElement("svg", Namespace);
        _xml.WriteAttributeString("version", "1.1");
        Attribute("viewBox", "0 0 " + ChartNumbers.Coordinate(width) + " " + ChartNumbers.Coordinate(height));
        Attribute("width", width);
        Attribute("height", height);
        Attribute("font-family", FontFamily);
        Attribute("font-size", 13);
        Title(title);
    }

    /// <summary>A <c>&lt;title&gt;</c>: the name of the document or of the enclosing element, shown as a tooltip.</summary>
    public void Title(string text) => _xml.WriteElementString("title", Namespace, ChartText.Clean(text));

    public void StartGroup(string cssClass)
    {
        _xml.WriteStartElement("g", Namespace);
        Attribute("class", cssClass);
    }

    public void EndGroup() => _xml.WriteEndElement();

    public void Rect(string cssClass, double x, double y, double width, double height, string fill, string? tooltip = null, string? stroke = null)
    {
        Start("rect", cssClass);
        Attribute("x", x);
        Attribute("y", y);
        Attribute("width", Math.Max(0, width));
        Attribute("height", Math.Max(0, height));
        Attribute("fill", fill);
        if (stroke is not null)
        {
            Attribute("stroke", stroke);
        }
        End(tooltip);
    }

    public void Line(string cssClass, double x1, double y1, double x2, double y2, string stroke)
    {
        Start("line", cssClass);
        Attribute("x1", x1);
        Attribute("y1", y1);
        Attribute("x2", x2);
        Attribute("y2", y2);
        Attribute("stroke", stroke);
        Attribute("stroke-width", 1);
        End(null);
    }

    public void Polyline(string cssClass, IEnumerable<(double X, double Y)> points, string stroke)
    {
        Start("polyline", cssClass);
        Attribute("points", Points(points));
        Attribute("fill", "none");
        Attribute("stroke", stroke);
        Attribute("stroke-width", 2);
        Attribute("stroke-linejoin", "round");
        End(null);
    }

    public void Polygon(string cssClass, IEnumerable<(double X, double Y)> points, string fill)
    {
        Start("polygon", cssClass);
        Attribute("points", Points(points));
        Attribute("fill", fill);
        End(null);
    }

    public void Circle(string cssClass, double cx, double cy, double r, string fill, string? tooltip = null)
    {
        Start("circle", cssClass);
        Attribute("cx", cx);
        Attribute("cy", cy);
        Attribute("r", r);
        Attribute("fill", fill);
        End(tooltip);
    }

    /// <summary>A line of text; <paramref name="anchor"/> is start, middle or end.</summary>
    public void Text(string cssClass, double x, double y, string text, double size, string fill, string anchor = "start", bool bold = false)
    {
        Start("text", cssClass);
        Attribute("x", x);
        Attribute("y", y);
        if (anchor != "start")
        {
            Attribute("text-anchor", anchor);
        }
        Attribute("font-size", size);
        if (bold)
        {
            Attribute("font-weight", "bold");
        }
        Attribute("fill", fill);
        _xml.WriteString(ChartText.Clean(text));
        _xml.WriteEndElement();
    }

    /// <summary>Ends the document and returns it: UTF-8 text starting with the XML declaration.</summary>
    public string Finish()
    {
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
        _xml.Flush();
        return Encoding.UTF8.GetString(_stream.GetBuffer(), 0, (int)_stream.Length);
    }

    public void Dispose()
    {
        _xml.Dispose();
        _stream.Dispose();
    }

    private void Start(string element, string cssClass)
    {
        _xml.WriteStartElement(element, Namespace);
        Attribute("class", cssClass);
    }

    private void End(string? tooltip)
    {
        if (tooltip is not null)
        {
            Title(tooltip);
        }
        _xml.WriteEndElement();
    }

    private void Attribute(string name, string value) => _xml.WriteAttributeString(name, value);

    private void Attribute(string name, double value) => _xml.WriteAttributeString(name, ChartNumbers.Coordinate(value));

    private static string Points(IEnumerable<(double X, double Y)> points) =>
        string.Join(' ', points.Select(p => ChartNumbers.Coordinate(p.X) + "," + ChartNumbers.Coordinate(p.Y)));
}
