namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// Writes CSV that is safe to open in a spreadsheet program: fields quoted as RFC 4180 requires, and any value a
/// spreadsheet would run as a formula (one starting with =, +, -, @, tab or carriage return) prefixed with an apostrophe,
/// as the OWASP guidance on CSV injection advises. Every CSV the service produces goes through it.
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
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? value
            : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

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
