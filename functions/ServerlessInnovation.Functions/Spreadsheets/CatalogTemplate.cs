using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// The blank carrier catalog a bureau downloads, fills in and uploads: a CSV with the header row, or a workbook whose
/// first sheet has the header row and whose second sheet explains every column in Chinese and English.
/// </summary>
public static class CatalogTemplate
{
    public const string CatalogSheetName = "载体目录";
    public const string InstructionsSheetName = "填写说明";

    private const string SpreadsheetNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string ContentTypesNamespace = "http://schemas.openxmlformats.org/package/2006/content-types";
    private const string WorksheetContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";

    private static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(false), CloseOutput = true };

    /// <summary>The header row as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF line ends.</summary>
    public static void WriteCsv(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        CsvText.WriteRow(writer, CatalogColumns.All.Select(c => c.Header));
    }

    /// <summary>The template workbook (.xlsx): sheet 1 <see cref="CatalogSheetName"/>, sheet 2 <see cref="InstructionsSheetName"/>.</summary>
    public static void WriteXlsx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);

        Write(zip, "[Content_Types].xml", xml =>
        {
            xml.WriteStartElement("Types", ContentTypesNamespace);
            WriteEmpty(xml, "Default", ("Extension", "rels"), ("ContentType", "application/vnd.openxmlformats-package.relationships+xml"));
            WriteEmpty(xml, "Default", ("Extension", "xml"), ("ContentType", "application/xml"));
            WriteEmpty(xml, "Override", ("PartName", "/xl/workbook.xml"), ("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"));
            WriteEmpty(xml, "Override", ("PartName", "/xl/worksheets/sheet1.xml"), ("ContentType", WorksheetContentType));
            WriteEmpty(xml, "Override", ("PartName", "/xl/worksheets/sheet2.xml"), ("ContentType", WorksheetContentType));
            WriteEmpty(xml, "Override", ("PartName", "/xl/styles.xml"), ("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"));
            xml.WriteEndElement();
        });
        Write(zip, "_rels/.rels", xml => WriteRelationships(xml, ("rId1", "officeDocument", "xl/workbook.xml")));
        Write(zip, "xl/_rels/workbook.xml.rels", xml => WriteRelationships(xml,
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "worksheet", "worksheets/sheet2.xml"),
            ("rId3", "styles", "styles.xml")));
        Write(zip, "xl/workbook.xml", xml =>
        {
            xml.WriteStartElement("workbook", SpreadsheetNamespace);
            xml.WriteAttributeString("xmlns", "r", null, RelationshipsNamespace);
            xml.WriteStartElement("sheets", SpreadsheetNamespace);
            WriteSheetEntry(xml, CatalogSheetName, "1", "rId1");
            WriteSheetEntry(xml, InstructionsSheetName, "2", "rId2");
            xml.WriteEndElement();
            xml.WriteEndElement();
        });
        Write(zip, "xl/styles.xml", WriteStyles);
        Write(zip, "xl/worksheets/sheet1.xml", xml => WriteSheet(xml, [CatalogColumns.All.Select(c => c.Header).ToList()], columnWidth: 18));
        Write(zip, "xl/worksheets/sheet2.xml", xml => WriteSheet(xml,
        [
            ["列名", "英文列名 / English name", "是否必填 / Required", "填写说明", "Format"],
            .. CatalogColumns.All.Select(c => (IReadOnlyList<string>)[c.Header, c.EnglishName, c.Required ? "必填 / required" : "选填 / optional", c.Format.Zh, c.Format.En]),
        ], columnWidth: 40));
    }

    private static void Write(ZipArchive zip, string path, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        using var xml = XmlWriter.Create(entry.Open(), XmlSettings);
        xml.WriteStartDocument(standalone: true);
        write(xml);
        xml.WriteEndDocument();
    }

    private static void WriteEmpty(XmlWriter xml, string name, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        xml.WriteStartElement(name);
        foreach (var (attribute, value) in attributes)
        {
            xml.WriteAttributeString(attribute, value);
        }
        xml.WriteEndElement();
    }

    private static void WriteRelationships(XmlWriter xml, params ReadOnlySpan<(string Id, string Type, string Target)> relationships)
    {
        xml.WriteStartElement("Relationships", PackageRelationshipsNamespace);
        foreach (var (id, type, target) in relationships)
        {
            WriteEmpty(xml, "Relationship", ("Id", id), ("Type", RelationshipsNamespace + "/" + type), ("Target", target));
        }
        xml.WriteEndElement();
    }

    private static void WriteSheetEntry(XmlWriter xml, string name, string sheetId, string relationshipId)
    {
        xml.WriteStartElement("sheet", SpreadsheetNamespace);
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("sheetId", sheetId);
        xml.WriteAttributeString("id", RelationshipsNamespace, relationshipId);
        xml.WriteEndElement();
    }

    private static void WriteStyles(XmlWriter xml)
    {
        xml.WriteStartElement("styleSheet", SpreadsheetNamespace);
        xml.WriteStartElement("fonts");
        xml.WriteAttributeString("count", "1");
        xml.WriteStartElement("font");
        WriteEmpty(xml, "sz", ("val", "11"));
        WriteEmpty(xml, "name", ("val", "等线"));
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("fills");
        xml.WriteAttributeString("count", "2");
        foreach (var pattern in (string[])["none", "gray125"])
        {
            xml.WriteStartElement("fill");
            WriteEmpty(xml, "patternFill", ("patternType", pattern));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteStartElement("borders");
        xml.WriteAttributeString("count", "1");
        xml.WriteStartElement("border");
        foreach (var side in (string[])["left", "right", "top", "bottom", "diagonal"])
        {
            WriteEmpty(xml, side);
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("cellStyleXfs");
        xml.WriteAttributeString("count", "1");
        WriteEmpty(xml, "xf", ("numFmtId", "0"), ("fontId", "0"), ("fillId", "0"), ("borderId", "0"));
        xml.WriteEndElement();
        xml.WriteStartElement("cellXfs");
        xml.WriteAttributeString("count", "1");
        WriteEmpty(xml, "xf", ("numFmtId", "0"), ("fontId", "0"), ("fillId", "0"), ("borderId", "0"), ("xfId", "0"));
        xml.WriteEndElement();
        xml.WriteStartElement("cellStyles");
        xml.WriteAttributeString("count", "1");
        WriteEmpty(xml, "cellStyle", ("name", "Normal"), ("xfId", "0"), ("builtinId", "0"));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>A worksheet of inline strings, the first row frozen as the header.</summary>
    private static void WriteSheet(XmlWriter xml, IReadOnlyList<IReadOnlyList<string>> rows, int columnWidth)
    {
        xml.WriteStartElement("worksheet", SpreadsheetNamespace);
        xml.WriteStartElement("sheetViews");
        xml.WriteStartElement("sheetView");
        xml.WriteAttributeString("workbookViewId", "0");
        WriteEmpty(xml, "pane", ("ySplit", "1"), ("topLeftCell", "A2"), ("activePane", "bottomLeft"), ("state", "frozen"));
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("cols");
        var columns = rows.Max(r => r.Count).ToString(CultureInfo.InvariantCulture);
        WriteEmpty(xml, "col", ("min", "1"), ("max", columns), ("width", columnWidth.ToString(CultureInfo.InvariantCulture)), ("customWidth", "1"));
        xml.WriteEndElement();
        xml.WriteStartElement("sheetData");
        for (var r = 0; r < rows.Count; r++)
        {
            var rowNumber = (r + 1).ToString(CultureInfo.InvariantCulture);
            xml.WriteStartElement("row");
            xml.WriteAttributeString("r", rowNumber);
            for (var c = 0; c < rows[r].Count; c++)
            {
                xml.WriteStartElement("c");
                xml.WriteAttributeString("r", ColumnName(c) + rowNumber);
                xml.WriteAttributeString("t", "inlineStr");
                xml.WriteStartElement("is");
                xml.WriteElementString("t", SpreadsheetNamespace, rows[r][c]);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>The letters of a zero-based column: 0 → A, 26 → AA.</summary>
    private static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + (index - 1) % 26) + name;
        }
        return name;
    }
}
