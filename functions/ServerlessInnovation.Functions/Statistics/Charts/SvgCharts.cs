using System.Globalization;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Statistics.Charts;

/// <summary>
/// Draws the nightly statistics as standalone SVG 1.1 documents that bureau staff open in a browser or paste into
/// reports: a bar chart, stacked bars, a funnel and a trend. Every chart is <see cref="Width"/> pixels wide and grows
/// downwards with its data; it carries its title in Chinese and English, labels in Chinese with both languages in each
/// element's tooltip, and no scripts or external references. NaN, infinities and negatives are drawn as 0; labels too
/// long for their place end in "…". The same input always gives the same text.
/// </summary>
public static class SvgCharts
{
    /// <summary>The width of every chart, in CSS pixels.</summary>
    public const double Width = 720;

    private const double Margin = 24;
    private const double Gap = 8;
    private const double LabelWidth = 150;
    private const double ValueWidth = 110;
    private const double RowHeight = 28;
    private const double BarThickness = 18;
    private const double FunnelRowHeight = 44;
    private const double FunnelThickness = 30;
    private const double TrendPlotHeight = 240;
    private const double LegendRowHeight = 20;
    private const double LegendLabelWidth = 200;
    private const double TitleSize = 18;
    private const double LabelSize = 13;
    private const double ValueSize = 12;
    private const double SmallSize = 11;
    private const string TextColor = "#1f2937";
    private const string MutedColor = "#6b7280";
    private const string GridColor = "#e5e7eb";
    private const string AxisColor = "#9ca3af";
    private const string ConnectorColor = "#dbeafe";

    /// <summary>Series colours in order: distinguishable, and readable on white.</summary>
    private static readonly string[] Palette = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16"];

    private static readonly LocalizedText NoData = new("暂无数据", "No data");

    /// <summary>
    /// Horizontal bars, one per item in the given order, the longest for the largest value, each with its value at its
    /// end (carriers per district, the tier mix).
    /// </summary>
    public static string Bars(LocalizedText title, IReadOnlyList<ChartBar> bars, LocalizedText unit)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (bars.Count == 0)
        {
            return Empty(title, unit);
        }
        var values = bars.Select(b => ChartNumbers.Clean(b.Value)).ToArray();
        var max = values.Max();
        var top = HeaderHeight(unit);
        using var svg = Begin(top + bars.Count * RowHeight + Margin, title, unit);
        var left = Margin + LabelWidth + Gap;
        var plotWidth = Width - Margin - ValueWidth - left;
        svg.StartGroup("bars");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = top + i * RowHeight;
            var length = max > 0 ? values[i] / max * plotWidth : 0;
            svg.StartGroup("row");
            svg.Title(ChartText.Both(bars[i].Label) + ": " + ChartNumbers.Format(values[i]) + UnitSuffix(unit));
            Label(svg, bars[i].Label, left - Gap, y + RowHeight / 2);
            svg.Rect("bar", left, y + (RowHeight - BarThickness) / 2, length, BarThickness, Palette[0]);
            svg.Text("value", left + length + Gap / 2, Baseline(y + RowHeight / 2, ValueSize), ChartNumbers.Format(values[i]), ValueSize, TextColor);
            svg.EndGroup();
        }
        svg.EndGroup();
        svg.Line("axis", left, top, left, top + bars.Count * RowHeight, AxisColor);
        return svg.Finish();
    }

    /// <summary>
    /// Stacked horizontal bars: one bar per category, one segment per series in the series' order and colour, the
    /// category's total at the bar's end, and a legend (per district: incubators and maker spaces). A series' value at
    /// index i belongs to category i; a series shorter than the categories counts 0 for the rest.
    /// </summary>
    public static string StackedBars(LocalizedText title, IReadOnlyList<LocalizedText> categories, IReadOnlyList<ChartSeries> series, LocalizedText unit)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        if (categories.Count == 0 || series.Count == 0)
        {
            return Empty(title, unit);
        }
        var values = categories.Select((_, c) => series.Select(s => c < s.Values.Count ? ChartNumbers.Clean(s.Values[c]) : 0).ToArray()).ToArray();
        var totals = values.Select(v => v.Sum()).ToArray();
        var max = totals.Max();
        var legend = LayOutLegend(series);
        var top = HeaderHeight(unit) + legend.Height;
        using var svg = Begin(top + categories.Count * RowHeight + Margin, title, unit);
        DrawLegend(svg, legend, series, HeaderHeight(unit));
        var left = Margin + LabelWidth + Gap;
        var plotWidth = Width - Margin - ValueWidth - left;
        var scale = max > 0 ? plotWidth / max : 0;
        svg.StartGroup("bars");
        for (var c = 0; c < categories.Count; c++)
        {
            var y = top + c * RowHeight;
            svg.StartGroup("row");
            svg.Title(ChartText.Both(categories[c]) + ": " + ChartNumbers.Format(totals[c]) + UnitSuffix(unit));
            Label(svg, categories[c], left - Gap, y + RowHeight / 2);
            // Segments start where the previous one ended, on rounded positions, so their widths add up to the total's.
            var x = ChartNumbers.Round(left);
            var sum = 0.0;
            for (var s = 0; s < series.Count; s++)
            {
                sum += values[c][s];
                var end = ChartNumbers.Round(left + sum * scale);
                var tooltip = ChartText.Both(series[s].Label) + " · " + ChartText.Primary(categories[c]) + ": " + ChartNumbers.Format(values[c][s]) + UnitSuffix(unit);
                svg.Rect("segment", x, y + (RowHeight - BarThickness) / 2, ChartNumbers.Round(end - x), BarThickness, Color(s), tooltip);
                x = end;
            }
            svg.Text("total", x + Gap / 2, Baseline(y + RowHeight / 2, ValueSize), ChartNumbers.Format(totals[c]), ValueSize, TextColor);
            svg.EndGroup();
        }
        svg.EndGroup();
        svg.Line("axis", left, top, left, top + categories.Count * RowHeight, AxisColor);
        return svg.Finish();
    }

    /// <summary>
    /// A funnel: one centred bar per stage in the given order (submitted, decided, accepted), widths proportional to the
    /// counts, each with its count and its share of the first stage ("—" when the first stage is 0).
    /// </summary>
    public static string Funnel(LocalizedText title, IReadOnlyList<ChartBar> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            return Empty(title, default);
        }
        var values = stages.Select(b => ChartNumbers.Clean(b.Value)).ToArray();
        var max = values.Max();
        var top = HeaderHeight(default);
        using var svg = Begin(top + stages.Count * FunnelRowHeight + Margin, title, default);
        var left = Margin + LabelWidth + Gap;
        var right = Width - Margin - ValueWidth - 40;
        var center = (left + right) / 2;
        var boxes = values.Select((v, i) =>
        {
            var width = max > 0 ? v / max * (right - left) : 0;
            return (X: center - width / 2, Y: top + i * FunnelRowHeight + (FunnelRowHeight - FunnelThickness) / 2, Width: width);
        }).ToArray();
        svg.StartGroup("connectors");
        for (var i = 0; i + 1 < boxes.Length; i++)
        {
            var (upper, lower) = (boxes[i], boxes[i + 1]);
            svg.Polygon("connector",
            [
                (upper.X, upper.Y + FunnelThickness),
                (upper.X + upper.Width, upper.Y + FunnelThickness),
                (lower.X + lower.Width, lower.Y),
                (lower.X, lower.Y),
            ], ConnectorColor);
        }
        svg.EndGroup();
        svg.StartGroup("stages");
        for (var i = 0; i < stages.Count; i++)
        {
            var middle = top + i * FunnelRowHeight + FunnelRowHeight / 2;
            var share = ChartNumbers.Percent(values[i], values[0]);
            svg.StartGroup("row");
            svg.Title(ChartText.Both(stages[i].Label) + ": " + ChartNumbers.Format(values[i]) + " (" + share + ")");
            Label(svg, stages[i].Label, left - Gap, middle);
            svg.Rect("stage", boxes[i].X, boxes[i].Y, boxes[i].Width, FunnelThickness, Palette[0]);
            svg.Text("value", right + Gap, Baseline(middle, LabelSize), ChartNumbers.Format(values[i]), LabelSize, TextColor, bold: true);
            svg.Text("share", Width - Margin, Baseline(middle, ValueSize), share, ValueSize, MutedColor, "end");
            svg.EndGroup();
        }
        svg.EndGroup();
        return svg.Finish();
    }

    /// <summary>
    /// Lines over dates (the 30-day trend), one per series in its colour, with a legend. The dates are spaced evenly in the
    /// given order and labelled MM-dd; the y axis starts at 0 with ticks of 1, 2 or 5 × 10^n and covers the largest
    /// value. A series' value at index i belongs to date i; a series shorter than the dates ends early.
    /// </summary>
    public static string Trend(LocalizedText title, IReadOnlyList<DateOnly> dates, IReadOnlyList<ChartSeries> series, LocalizedText unit)
    {
        ArgumentNullException.ThrowIfNull(dates);
        ArgumentNullException.ThrowIfNull(series);
        if (dates.Count == 0 || series.Count == 0)
        {
            return Empty(title, unit);
        }
        var values = series.Select(s => s.Values.Take(dates.Count).Select(ChartNumbers.Clean).ToArray()).ToArray();
        var all = values.SelectMany(v => v).ToArray();
        var ticks = ChartNumbers.Ticks(all.Length > 0 ? all.Max() : 0, whole: all.All(v => v == Math.Floor(v)));
        var tickLabelWidth = Enumerable.Range(0, ticks.Count + 1).Max(i => ChartText.Width(ticks.Label(i), SmallSize));
        var legend = LayOutLegend(series);
        var plotTop = HeaderHeight(unit) + legend.Height + Gap;
        var bottom = plotTop + TrendPlotHeight;
        var left = Margin + tickLabelWidth + Gap;
        var right = Width - Margin - 20;
        using var svg = Begin(bottom + 24 + Margin, title, unit);
        DrawLegend(svg, legend, series, HeaderHeight(unit));

        svg.StartGroup("y-axis");
        for (var i = 0; i <= ticks.Count; i++)
        {
            var y = bottom - i * TrendPlotHeight / ticks.Count;
            svg.Line(i == 0 ? "axis" : "grid", left, y, right, y, i == 0 ? AxisColor : GridColor);
            svg.Text("y-tick", left - Gap / 2, Baseline(y, SmallSize), ticks.Label(i), SmallSize, MutedColor, "end");
        }
        svg.EndGroup();

        double X(int index) => dates.Count == 1 ? (left + right) / 2 : left + index * (right - left) / (dates.Count - 1);
        double Y(double value) => bottom - value / ticks.Top * TrendPlotHeight;

        // An MM-dd label takes about 35 pixels; label every k-th date so that they keep apart.
        var every = (int)Math.Ceiling(dates.Count / Math.Max(1, Math.Floor((right - left) / 44)));
        svg.StartGroup("x-axis");
        for (var i = 0; i < dates.Count; i += every)
        {
            svg.Line("tick", X(i), bottom, X(i), bottom + 4, AxisColor);
            svg.Text("x-tick", X(i), bottom + 18, dates[i].ToString("MM-dd", CultureInfo.InvariantCulture), SmallSize, MutedColor, "middle");
        }
        svg.EndGroup();

        for (var s = 0; s < series.Count; s++)
        {
            var points = values[s].Select((v, i) => (X: X(i), Y: Y(v))).ToArray();
            svg.StartGroup("series");
            svg.Title(ChartText.Both(series[s].Label));
            svg.Polyline("line", points, Color(s));
            for (var i = 0; i < points.Length; i++)
            {
                var tooltip = dates[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + ChartText.Primary(series[s].Label) + ": " + ChartNumbers.Format(values[s][i]) + UnitSuffix(unit);
                svg.Circle("point", points[i].X, points[i].Y, 2.5, Color(s), tooltip);
            }
            svg.EndGroup();
        }
        return svg.Finish();
    }

    private static string Empty(LocalizedText title, LocalizedText unit)
    {
        var top = HeaderHeight(unit);
        using var svg = Begin(top + 80, title, unit);
        svg.Text("empty", Width / 2, top + 40, ChartText.Both(NoData), 14, MutedColor, "middle");
        return svg.Finish();
    }

    /// <summary>The header's height: the title, its English line, and the unit's line if there is a unit.</summary>
    private static double HeaderHeight(LocalizedText unit) => UnitCaption(unit).Length > 0 ? 88 : 68;

    /// <summary>Starts a chart: the document, a white framed background, and the header.</summary>
    private static SvgWriter Begin(double height, LocalizedText title, LocalizedText unit)
    {
        var name = ChartText.Both(title);
        var svg = new SvgWriter(Width, height, name.Length > 0 ? name : "图表 / Chart");
        svg.Rect("background", 0.5, 0.5, Width - 1, height - 1, "#ffffff", stroke: GridColor);
        var textWidth = Width - 2 * Margin;
        svg.Text("title", Margin, 34, ChartText.Fit(ChartText.Primary(title), textWidth, TitleSize), TitleSize, TextColor, bold: true);
        var english = ChartText.Clean(title.En);
        if (english.Length > 0 && english != ChartText.Primary(title))
        {
            svg.Text("subtitle", Margin, 54, ChartText.Fit(english, textWidth, ValueSize), ValueSize, MutedColor);
        }
        var caption = UnitCaption(unit);
        if (caption.Length > 0)
        {
            svg.Text("unit", Margin, 74, ChartText.Fit(caption, textWidth, SmallSize), SmallSize, MutedColor);
        }
        return svg;
    }

    private static string UnitCaption(LocalizedText unit)
    {
        var zh = ChartText.Clean(unit.Zh);
        var en = ChartText.Clean(unit.En);
        return (zh.Length > 0, en.Length > 0) switch
        {
            (true, true) => "单位：" + zh + " / Unit: " + en,
            (true, false) => "单位：" + zh,
            (false, true) => "Unit: " + en,
            _ => "",
        };
    }

    private static string UnitSuffix(LocalizedText unit)
    {
        var zh = ChartText.Clean(unit.Zh);
        return zh.Length > 0 ? " " + zh : "";
    }

    /// <summary>A row's label, right-aligned before the bar and vertically centred on <paramref name="middle"/>.</summary>
    private static void Label(SvgWriter svg, LocalizedText label, double right, double middle) =>
        svg.Text("label", right, Baseline(middle, LabelSize), ChartText.Fit(ChartText.Primary(label), LabelWidth, LabelSize), LabelSize, TextColor, "end");

    /// <summary>The baseline that centres a line of text of the given size on <paramref name="middle"/>.</summary>
    private static double Baseline(double middle, double size) => middle + size * 0.35;

    private static string Color(int series) => Palette[series % Palette.Length];

    private static Legend LayOutLegend(IReadOnlyList<ChartSeries> series)
    {
        var items = new List<LegendItem>(series.Count);
        var (x, row) = (Margin, 0);
        foreach (var s in series)
        {
            var text = ChartText.Fit(ChartText.Primary(s.Label), LegendLabelWidth, ValueSize);
            var width = 18 + ChartText.Width(text, ValueSize) + 20;
            if (x > Margin && x + width > Width - Margin)
            {
                (x, row) = (Margin, row + 1);
            }
            items.Add(new LegendItem(x, row, text));
            x += width;
        }
        return new Legend(items, (row + 1) * LegendRowHeight + Gap);
    }

    private static void DrawLegend(SvgWriter svg, Legend legend, IReadOnlyList<ChartSeries> series, double top)
    {
        svg.StartGroup("legend");
        for (var i = 0; i < legend.Items.Count; i++)
        {
            var item = legend.Items[i];
            var middle = top + item.Row * LegendRowHeight + LegendRowHeight / 2;
            svg.StartGroup("legend-item");
            svg.Title(ChartText.Both(series[i].Label));
            svg.Rect("swatch", item.X, middle - 6, 12, 12, Color(i));
            svg.Text("legend-label", item.X + 18, Baseline(middle, ValueSize), item.Text, ValueSize, TextColor);
            svg.EndGroup();
        }
        svg.EndGroup();
    }

    private sealed record LegendItem(double X, int Row, string Text);

    private sealed record Legend(IReadOnlyList<LegendItem> Items, double Height);
}
