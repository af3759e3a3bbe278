using System.Globalization;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>The wire forms of Table property values, shared by entity JSON and query filter literals.</summary>
internal static class TableValues
{
    public const string Int64Type = "Edm.Int64";
    public const string DoubleType = "Edm.Double";
    public const string DateTimeType = "Edm.DateTime";
    public const string GuidType = "Edm.Guid";
    public const string BinaryType = "Edm.Binary";

    /// <summary>UTC; a <see cref="DateTimeKind.Unspecified"/> value is taken to be UTC already, never local time.</summary>
    public static DateTime ToUniversal(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    /// <summary>ISO 8601 UTC with the service's full 7 fractional digits: <c>2024-01-02T03:04:05.1234567Z</c>.</summary>
    public static string FormatDateTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A service timestamp: the service's own <c>yyyy-MM-ddTHH:mm:ss[.f…]Z</c> read directly, anything else by the general parser.</summary>
    public static DateTimeOffset ParseDateTime(string value) =>
        TryParseServiceDateTime(value, out var parsed)
            ? parsed
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss</c>, an optional fraction of 1–7 digits, then <c>Z</c>: the form every Table date takes on the
    /// wire, parsed without the culture-aware general parser (which dominates reading a page of entities otherwise).
    /// </summary>
    internal static bool TryParseServiceDateTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is < 20 or > 28 || text[^1] != 'Z' || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
            !TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day) ||
            !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second))
        {
            return false;
        }
        long fractionTicks = 0;
        if (text.Length > 20)
        {
            var fraction = text[20..^1];
            if (text[19] != '.' || fraction.Length is 0 or > 7 || !TryDigits(fraction, out var digits))
            {
                return false;
            }
            fractionTicks = digits * TicksPerFractionDigit[fraction.Length - 1];
        }
        else if (text[19] != 'Z')
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks));
        return true;
    }

    // One digit of a 1-digit fraction is a million ticks; of a 7-digit fraction, one tick.
    private static ReadOnlySpan<long> TicksPerFractionDigit => [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>Round-trip text for a double, always with a decimal point or exponent (<c>2.0</c>, not <c>2</c>).</summary>
    public static string FormatDouble(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal)
            ? text + ".0"
            : text;
    }
}
