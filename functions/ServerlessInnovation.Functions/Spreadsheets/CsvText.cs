namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// Writes CSV that is safe to open in a spreadsheet program: fields quoted as RFC 4180 requires, and any value a
/// spreadsheet would run as a formula (one starting with =, +, -, @, tab or carriage return) prefixed with an apostrophe,
/// as the OWASP guidance on CSV injection advises; a plain signed number such as <c>-12.5</c> is left a number. Every CSV the service produces goes through it.
/// </summary>
public static class CsvText
{
    /// <summary>Records end with CRLF, as RFC 4180 and Excel expect.</summary>
    public const string NewLine = "\r\n";

    /// <summary>One field as it is written: neutralised, then quoted if it holds a comma, a quote or a line break.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value))
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? value
            : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A number such as <c>-12.5</c>: a spreadsheet reads it as the number, never as a formula, so it stays as it is.</summary>
    private static bool IsPlainNumber(string value) =>
        value.Length <= 32 && value[0] is '-' or '+' &&
        double.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out _);

    public static void WriteField(TextWriter writer, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Field(value));
    }

    /// <summary>Writes one record: the fields separated by commas, then CRLF.</summary>
    public static void WriteRow(TextWriter writer, IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fields);
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }
            WriteField(writer, field);
            first = false;
        }
        writer.Write(NewLine);
    }
}
