using System.Globalization;

namespace ServerlessInnovation.Functions.Statistics.Charts;

/// <summary>Numbers as the charts draw and print them.</summary>
internal static class ChartNumbers
{
    /// <summary>
    /// The largest value drawn; larger ones are drawn as this. Far above any count the service keeps, it keeps sums of
    /// many values finite and prints in full.
    /// </summary>
    public const double MaxValue = 1e15;

    /// <summary>A value fit to draw: NaN, infinities and negatives become 0, values above <see cref="MaxValue"/> that.</summary>
    public static double Clean(double value) => double.IsFinite(value) && value > 0 ? Math.Min(value, MaxValue) : 0;

    /// <summary>A value for people: thousands separators, up to two decimals and none on whole numbers ("1,234", "12.5").</summary>
    public static string Format(double value) => Clean(value).ToString("#,##0.##", CultureInfo.InvariantCulture);

    /// <summary><paramref name="part"/> as a percentage of <paramref name="whole"/> with one decimal ("50.0%"); "—" when the whole is 0.</summary>
    public static string Percent(double part, double whole)
    {
        part = Clean(part);
        whole = Clean(whole);
        return whole > 0 ? (part / whole * 100).ToString("#,##0.0", CultureInfo.InvariantCulture) + "%" : "—";
    }

    /// <summary>A coordinate or length in the SVG: at most two decimals, never "-0", never NaN.</summary>
    public static string Coordinate(double value)
    {
        var rounded = double.IsFinite(value) ? Math.Round(value, 2, MidpointRounding.AwayFromZero) : 0;
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Rounds as <see cref="Coordinate"/> writes, so lengths computed from rounded positions add up exactly.</summary>
    public static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Ticks for an axis from 0 that covers <paramref name="max"/>: a step of 1, 2 or 5 × 10^n giving at most
    /// <paramref name="intervals"/> intervals. With <paramref name="whole"/> (counts), the step is at least 1.
    /// </summary>
    public static AxisTicks Ticks(double max, bool whole, int intervals = 5)
    {
        max = Clean(max);
        if (max == 0)
        {
            max = 1;
        }
        var rough = max / intervals;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var residual = rough / magnitude;
        // The tolerance keeps 0.2 / 0.1 = 2.0000000000000004 a step of 2, not 5.
        const double Tolerance = 1e-9;
        var step = magnitude * (residual <= 1 + Tolerance ? 1 : residual <= 2 + Tolerance ? 2 : residual <= 5 + Tolerance ? 5 : 10);
        if (whole && step < 1)
        {
            step = 1;
        }
        var count = Math.Max(1, (int)Math.Ceiling(max / step));
        var decimals = step >= 1 ? 0 : (int)Math.Ceiling(-Math.Log10(step) - Tolerance);
        return new AxisTicks(step, count, decimals);
    }
}

/// <summary>Axis ticks at 0, Step, 2 × Step … Count × Step, labelled with a fixed number of decimals.</summary>
internal readonly record struct AxisTicks(double Step, int Count, int Decimals)
{
    public double Top => Step * Count;

    public double this[int index] => Step * index;

    public string Label(int index) => this[index].ToString("N" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
