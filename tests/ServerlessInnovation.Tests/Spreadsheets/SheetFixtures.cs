using System.IO.Compression;
using System.Security;
using System.Text;
using ServerlessInnovation.Functions.Spreadsheets;

namespace ServerlessInnovation.Tests.Spreadsheets;

/// <summary>Spreadsheet files made in memory: CSV bytes in a chosen encoding, and XLSX packages from XML strings.</summary>
internal static class SheetFixtures
{
    public const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static readonly Encoding Utf8NoBom = new UTF8Encoding(false);
    public static readonly Encoding Utf8WithBom = new UTF8Encoding(true);

    public static MemoryStream Bytes(byte[] bytes) => new(bytes, writable: false);

    /// <summary>CSV text as bytes in <paramref name="encoding"/>, with its preamble (BOM) if it has one.</summary>
    public static MemoryStream Csv(string text, Encoding? encoding = null)
    {
        encoding ??= Utf8NoBom;
        return Bytes([.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);
    }

    /// <summary>
    /// A CSV with CRLF line ends, fields quoted as RFC 4180 requires but otherwise as given: unlike what the service
    /// writes (<see cref="Functions.Spreadsheets.CsvText"/>), formulas are not neutralised, as in a hostile upload.
    /// </summary>
    public static string CsvText(IEnumerable<IEnumerable<string?>> rows) =>
        string.Concat(rows.Select(row => string.Join(',', row.Select(Quote)) + "\r\n"));

    private static string Quote(string? field) =>
        field is null ? "" : field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A worksheet part whose sheetData holds <paramref name="rows"/> (raw XML).</summary>
    public static string Sheet(params string[] rows) =>
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}"><sheetData>{string.Concat(rows)}</sheetData></worksheet>""";

    /// <summary>A row of inline-string cells (null = no cell), with references.</summary>
    public static string InlineRow(int number, params string?[] values)
    {
        var cells = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                cells.Append($"""<c r="{Column(i)}{number}" t="inlineStr"><is><t>{SecurityElement.Escape(value)}</t></is></c>""");
            }
        }
        return $"""<row r="{number}">{cells}</row>""";
    }

    public static string SharedStrings(params string[] items) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{Main}">{string.Concat(items.Select(i => $"<si><t>{SecurityElement.Escape(i)}</t></si>"))}</sst>""";

    /// <summary>
    /// A workbook whose sheets are listed in the given order (their part names numbered in reverse, so that workbook
    /// order and part order differ), with optional shared strings and extra parts.
    /// </summary>
    public static MemoryStream Xlsx(IReadOnlyList<string> sheets, string? sharedStrings = null, bool date1904 = false,
        Action<ZipArchive>? extra = null, CompressionLevel level = CompressionLevel.Fastest)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var overrides = new StringBuilder($"""<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>""");
            var sheetEntries = new StringBuilder();
            var relationships = new StringBuilder();
            for (var i = 0; i < sheets.Count; i++)
            {
                var part = $"worksheets/sheet{sheets.Count - i}.xml";
                overrides.Append($"""<Override PartName="/xl/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>""");
                sheetEntries.Append($"""<sheet name="Sheet{i + 1}" sheetId="{i + 1}" r:id="rId{i + 1}"/>""");
                relationships.Append($"""<Relationship Id="rId{i + 1}" Type="{Relationships}/worksheet" Target="{part}"/>""");
                Add(zip, "xl/" + part, sheets[i], level);
            }
            if (sharedStrings is not null)
            {
                relationships.Append($"""<Relationship Id="rIdS" Type="{Relationships}/sharedStrings" Target="/xl/sharedStrings.xml"/>""");
                Add(zip, "xl/sharedStrings.xml", sharedStrings, level);
            }
            Add(zip, "[Content_Types].xml", $"""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>""");
            Add(zip, "_rels/.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add(zip, "xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{Main}" xmlns:r="{Relationships}">{(date1904 ? "<workbookPr date1904=\"1\"/>" : "")}<sheets>{sheetEntries}</sheets></workbook>""");
            Add(zip, "xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}</Relationships>""");
            extra?.Invoke(zip);
        }
        stream.Position = 0;
        return stream;
    }

    public static void Add(ZipArchive zip, string path, string content, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var writer = new StreamWriter(zip.CreateEntry(path, level).Open(), Utf8NoBom);
        writer.Write(content);
    }

    /// <summary>Every row of a sheet, as (row number, cell values).</summary>
    public static List<(int Number, string?[] Values)> ReadAll(Stream stream, SheetLimits? limits = null, Encoding? declared = null)
    {
        using var reader = SheetReader.Open(stream, limits, declared);
        var rows = new List<(int, string?[])>();
        while (reader.TryReadRow(out var row))
        {
            rows.Add((row.Number, [.. row.Cells.Select(c => c.Value)]));
        }
        return rows;
    }

    /// <summary>Compares cell values (nullable strings) in order.</summary>
    public static void AssertCells(IEnumerable<string?> expected, IEnumerable<string?> actual) => Assert.Equal(expected, actual);

    public static string Column(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + (index - 1) % 26) + name;
        }
        return name;
    }
}
