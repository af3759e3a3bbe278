using System.IO.Compression;
using System.Security;
using System.Text;

namespace ServerlessInnovation.Tests.Documents;

/// <summary>Catalog spreadsheets as bureaus send them: CSV in UTF-8 or GB18030, and XLSX, written here byte by byte.</summary>
internal static class CatalogFiles
{
    public static readonly string[] Header =
    [
        "载体编号", "载体名称", "载体类型", "孵化类型", "所在区县", "地址", "纬度", "经度", "总面积（平方米）", "可用面积（平方米）", "空余工位",
        "重点产业", "孵化服务", "运营主体", "认定级别", "认定单位", "认定日期", "有效期至",
        "在孵企业数", "累计毕业企业数", "高新技术企业数", "吸纳就业人数",
    ];

    public static Encoding Gb18030 { get; } = CreateGb18030();

    private static Encoding CreateGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    /// <summary>A carrier row in <see cref="Header"/>'s order: an AI incubator with room, near the district's centre.</summary>
    public static string[] Incubator(string id, string name, string district = "西湖区", double latitude = 30.2595, double longitude = 120.1300) =>
    [
        id, name, "科技企业孵化器", "专业型", district, "文三路 90 号", F(latitude), F(longitude), "12000", "6000", "300",
        "人工智能、新一代信息技术", "seed-fund、mentoring、shared-labs", "杭州数智孵化有限公司", "国家级", "科学技术部", "2024-05-01", "",
        "45", "20", "12", "800",
    ];

    public static string[] MakerSpace(string id, string name, string district = "西湖区") =>
    [
        id, name, "众创空间", "综合型", district, "天目山路 176 号", "30.2780", "120.1320", "1500", "600", "80",
        "", "mentoring", "", "", "", "", "",
        "12", "3", "0", "60",
    ];

    private static string F(double value) => value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);

    public static byte[] Csv(Encoding encoding, IEnumerable<string[]> rows, bool bom = false)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(Header))
        {
            text.AppendJoin(',', row.Select(Quote)).Append("\r\n");
        }
        var bytes = encoding.GetBytes(text.ToString());
        return bom ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes;
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    /// <summary>A minimal workbook: one sheet, inline strings (numbers as numbers when they look like numbers).</summary>
    public static byte[] Xlsx(IEnumerable<string[]> rows, string? sheetXmlOverride = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
                """);
            Add(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Add(zip, "xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="载体目录" sheetId="1" r:id="rId1"/></sheets></workbook>
                """);
            Add(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
                """);
            Add(zip, "xl/worksheets/sheet1.xml", sheetXmlOverride ?? SheetXml(rows.Prepend(Header)));
        }
        return buffer.ToArray();
    }

    private static string SheetXml(IEnumerable<string[]> rows)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        var number = 0;
        foreach (var row in rows)
        {
            number++;
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<row r=\"{number}\">");
            for (var column = 0; column < row.Length; column++)
            {
                var reference = ColumnName(column) + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var value = row[column];
                if (value.Length == 0)
                {
                    continue;
                }
                xml.Append(double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) && number > 1
                    ? $"<c r=\"{reference}\"><v>{value}</v></c>"
                    : $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(value)}</t></is></c>");
            }
            xml.Append("</row>");
        }
        return xml.Append("</sheetData></worksheet>").ToString();
    }

    private static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : ColumnName(index / 26 - 1) + (char)('A' + index % 26);

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
