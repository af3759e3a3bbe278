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

    public static DateTimeOffset ParseDateTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Round-trip text for a double, always with a decimal point or exponent (<c>2.0</c>, not <c>2</c>).</summary>
    public static string FormatDouble(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal)
            ? text + ".0"
            : text;
    }
}
