using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// Reads the first sheet of an XLSX workbook (in workbook order) without loading it: the sheet's XML is pulled row by
/// row, every part is decompressed through a counting cap, no DTD is accepted, and nothing is evaluated. Shared strings
/// are held in memory, within <see cref="SheetLimits.MaxSharedStrings"/> and <see cref="SheetLimits.MaxSharedStringChars"/>.
/// A cell with a formula is reported as <see cref="SheetCellKind.Formula"/>; numbers keep their invariant text.
/// </summary>
public sealed class XlsxSheetReader : SheetReader
{
    private const int MaxZipEntries = 10_000;
    private const long MaxCentralDirectoryBytes = 4 * 1024 * 1024;
    private const int MaxExcelRow = 1_048_576;
    private const int MaxExcelColumn = 16_384;
    private const string RelationshipTypeSuffixOfficeDocument = "/officeDocument";
    private const string RelationshipTypeSuffixWorksheet = "/worksheet";
    private const string RelationshipTypeSuffixSharedStrings = "/sharedStrings";

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersFromEntities = 1024,
        CloseInput = true,
    };

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private readonly char[] _chunk = new char[4096];
    private readonly StringBuilder _text = new();
    private readonly List<SheetCell> _cells = [];
    private List<string> _sharedStrings = [];
    private XmlReader? _sheet;
    private int _sheetDataDepth = -1;
    private bool _sheetDone;
    private int _lastRow;
    private bool _inRow;

    private XlsxSheetReader(ZipArchive zip, SheetLimits limits)
        : base(limits)
    {
        _zip = zip;
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The name of the sheet being read, as its tab shows it.</summary>
    public string SheetName { get; private set; } = "";

    /// <summary>Whether the workbook counts dates from 1904 (old Mac Excel) rather than 1900.</summary>
    public bool Uses1904DateSystem { get; private set; }

    internal static XlsxSheetReader Create(Stream stream, SheetLimits limits, bool leaveOpen)
    {
        CheckZipDirectory(stream);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen);
        }
        catch (Exception exception) when (IsDamage(exception))
        {
            throw Corrupt(exception);
        }

        var reader = new XlsxSheetReader(zip, limits);
        try
        {
            reader.OpenFirstSheet();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private protected override SheetRow? ReadNextRow()
    {
        try
        {
            return ReadRow();
        }
        catch (XmlException exception)
        {
            throw MalformedSheet(_sheetDataDepth < 0 ? null : CurrentRow, exception);
        }
        catch (Exception exception) when (IsDamage(exception))
        {
            throw Corrupt(exception);
        }
        catch (SpreadsheetException exception) when (exception.Row is null && _sheetDataDepth >= 0)
        {
            throw new SpreadsheetException(exception.Code, exception.Reason, CurrentRow, exception);
        }
    }

    /// <summary>The row being read, or the one that would come next between rows.</summary>
    private int CurrentRow => _inRow ? _lastRow : _lastRow + 1;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sheet?.Dispose();
            _zip.Dispose();
        }
        base.Dispose(disposing);
    }

    private void OpenFirstSheet()
    {
        try
        {
            foreach (var entry in _zip.Entries)
            {
                _entries.TryAdd(entry.FullName.Replace('\\', '/').TrimStart('/'), entry);
            }
            if (!_entries.ContainsKey("[Content_Types].xml"))
            {
                throw NotAWorkbook();
            }
            var workbookPath = FindWorkbookPath();
            var (sheetRelationshipId, sheetName) = ReadWorkbook(workbookPath);
            var relationships = ReadRelationships(RelationshipsPathOf(workbookPath));
            if (sheetRelationshipId is null || !relationships.TryGetValue(sheetRelationshipId, out var sheetRelationship))
            {
                throw NotAWorkbook();
            }
            if (!sheetRelationship.Type.EndsWith(RelationshipTypeSuffixWorksheet, StringComparison.Ordinal))
            {
                throw new SpreadsheetException(SpreadsheetErrorCodes.NotASpreadsheet, new(
                    $"第一个工作表“{sheetName}”不是普通工作表（可能是图表），请把载体目录放在第一个工作表",
                    $"The first sheet, \"{sheetName}\", is not a worksheet (perhaps a chart); put the catalog on the first sheet"));
            }
            var sharedStrings = relationships.Values.FirstOrDefault(r => r.Type.EndsWith(RelationshipTypeSuffixSharedStrings, StringComparison.Ordinal));
            if (sharedStrings is not null)
            {
                _sharedStrings = ReadSharedStrings(ResolveTarget(workbookPath, sharedStrings.Target));
            }
            SheetName = sheetName;
            _sheet = OpenXml(ResolveTarget(workbookPath, sheetRelationship.Target)) ?? throw NotAWorkbook();
        }
        catch (XmlException exception)
        {
            throw MalformedSheet(null, exception);
        }
        catch (Exception exception) when (IsDamage(exception))
        {
            throw Corrupt(exception);
        }
    }

    private string FindWorkbookPath()
    {
        if (OpenXml("_rels/.rels") is { } packageRelationships)
        {
            using (packageRelationships)
            {
                foreach (var relationship in ReadRelationshipElements(packageRelationships))
                {
                    if (relationship.Type.EndsWith(RelationshipTypeSuffixOfficeDocument, StringComparison.Ordinal))
                    {
                        var path = ResolveTarget("", relationship.Target);
                        return _entries.ContainsKey(path) ? path : throw NotAWorkbook();
                    }
                }
            }
        }
        return _entries.ContainsKey("xl/workbook.xml") ? "xl/workbook.xml" : throw NotAWorkbook();
    }

    /// <summary>The first sheet of the workbook (its relationship id and name), and the date system.</summary>
    private (string? RelationshipId, string Name) ReadWorkbook(string workbookPath)
    {
        using var xml = OpenXml(workbookPath) ?? throw NotAWorkbook();
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            if (xml.LocalName == "workbookPr")
            {
                Uses1904DateSystem = xml.GetAttribute("date1904") is "1" or "true";
            }
            else if (xml.LocalName == "sheet")
            {
                string? id = null;
                for (var more = xml.MoveToFirstAttribute(); more; more = xml.MoveToNextAttribute())
                {
                    if (xml.LocalName == "id" && xml.NamespaceURI.EndsWith("relationships", StringComparison.Ordinal))
                    {
                        id = xml.Value;
                    }
                }
                xml.MoveToElement();
                return (id, xml.GetAttribute("name") ?? "");
            }
        }
        throw new SpreadsheetException(SpreadsheetErrorCodes.NotASpreadsheet, new("工作簿中没有工作表", "The workbook has no sheet"));
    }

    private sealed record Relationship(string Id, string Type, string Target);

    private Dictionary<string, Relationship> ReadRelationships(string path)
    {
        var relationships = new Dictionary<string, Relationship>(StringComparer.Ordinal);
        if (OpenXml(path) is { } xml)
        {
            using (xml)
            {
                foreach (var relationship in ReadRelationshipElements(xml))
                {
                    relationships.TryAdd(relationship.Id, relationship);
                }
            }
        }
        return relationships;
    }

    private static IEnumerable<Relationship> ReadRelationshipElements(XmlReader xml)
    {
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" && xml.GetAttribute("TargetMode") != "External" &&
                xml.GetAttribute("Id") is { } id && xml.GetAttribute("Type") is { } type && xml.GetAttribute("Target") is { } target)
            {
                yield return new Relationship(id, type, target);
            }
        }
    }

    private List<string> ReadSharedStrings(string path)
    {
        var strings = new List<string>();
        using var xml = OpenXml(path);
        if (xml is null)
        {
            return strings;
        }
        long chars = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "si")
            {
                continue;
            }
            if (strings.Count >= Limits.MaxSharedStrings)
            {
                throw TooManySharedStrings();
            }
            // A string longer than a cell may be is kept one character too long, so that using it fails as "cell too long".
            ReadRichText(xml, Limits.MaxCellChars + 1);
            var text = _text.Length == 0 ? "" : _text.ToString();
            chars += text.Length;
            if (chars > Limits.MaxSharedStringChars)
            {
                throw TooManySharedStrings();
            }
            strings.Add(text);
        }
        return strings;
    }

    private SheetRow? ReadRow()
    {
        var xml = _sheet!;
        if (_sheetDone)
        {
            return null;
        }
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                if (_sheetDataDepth < 0)
                {
                    if (xml.LocalName == "sheetData")
                    {
                        if (xml.IsEmptyElement)
                        {
                            break;
                        }
                        _sheetDataDepth = xml.Depth;
                    }
                }
                else if (xml.LocalName == "row" && xml.Depth == _sheetDataDepth + 1)
                {
                    return ReadRowElement(xml);
                }
            }
            else if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == _sheetDataDepth)
            {
                break;
            }
        }
        _sheetDone = true;
        return null;
    }

    private SheetRow ReadRowElement(XmlReader xml)
    {
        var number = _lastRow + 1;
        if (xml.GetAttribute("r") is { } r &&
            (!int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number <= _lastRow || number > MaxExcelRow))
        {
            throw MalformedSheet(number is > 0 and <= MaxExcelRow ? number : _lastRow + 1,
                new LocalizedText($"行号“{r}”无效或顺序错乱", $"row number \"{r}\" is invalid or out of order"));
        }
        _lastRow = number;
        _inRow = true;
        _cells.Clear();
        if (!xml.IsEmptyElement)
        {
            var depth = xml.Depth;
            var column = -1;
            while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c" && xml.Depth == depth + 1)
                {
                    column = ReadCell(xml, number, column);
                }
            }
        }
        _inRow = false;
        CountCells(_cells.Count, number);
        return new SheetRow(number, _cells.ToArray());
    }

    /// <summary>Reads one <c>&lt;c&gt;</c> into <see cref="_cells"/> and returns its column index.</summary>
    private int ReadCell(XmlReader xml, int row, int previousColumn)
    {
        var reference = xml.GetAttribute("r");
        var column = reference is null ? previousColumn + 1 : ColumnOf(reference, row);
        if (column <= previousColumn || column >= MaxExcelColumn)
        {
            throw MalformedSheet(row, new LocalizedText($"单元格“{reference}”的位置无效或顺序错乱", $"cell \"{reference}\" is misplaced or out of order"));
        }
        var type = xml.GetAttribute("t");
        string? value = null;
        string? inline = null;
        var formula = false;
        if (!xml.IsEmptyElement)
        {
            var depth = xml.Depth;
            while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
            {
                if (xml.NodeType != XmlNodeType.Element || xml.Depth != depth + 1)
                {
                    continue;
                }
                switch (xml.LocalName)
                {
                    case "v":
                        value = ReadTextOfCell(xml, row);
                        break;
                    case "is":
                        ReadRichText(xml, Limits.MaxCellChars + 1);
                        inline = _text.ToString();
                        break;
                    case "f":
                        formula = true;
                        break;
                }
            }
        }

        var cell = type switch
        {
            "s" => new SheetCell(SharedString(value, row), SheetCellKind.Text),
            "inlineStr" => new SheetCell(inline ?? value, SheetCellKind.Text),
            "str" => new SheetCell(value, SheetCellKind.Text),
            "b" => new SheetCell(value switch { "1" => "TRUE", "0" => "FALSE", _ => value }, SheetCellKind.Boolean),
            "e" => new SheetCell(value, SheetCellKind.Error),
            "d" => new SheetCell(value, SheetCellKind.Text),
            _ => new SheetCell(value, string.IsNullOrEmpty(value) ? SheetCellKind.Empty : SheetCellKind.Number),
        };
        if (cell.Value?.Length > Limits.MaxCellChars)
        {
            throw CellTooLong(row);
        }
        if (formula)
        {
            cell = cell with { Kind = SheetCellKind.Formula };
        }
        else if (string.IsNullOrEmpty(cell.Value))
        {
            return column;
        }

        if (column >= Limits.MaxColumns)
        {
            if (!cell.IsBlank)
            {
                throw TooManyColumns(row);
            }
            return column;
        }
        while (_cells.Count < column)
        {
            _cells.Add(SheetCell.Empty);
        }
        _cells.Add(cell);
        return column;
    }

    private string? SharedString(string? index, int row)
    {
        if (index is null)
        {
            return null;
        }
        if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= _sharedStrings.Count)
        {
            throw MalformedSheet(row, new LocalizedText($"共享字符串编号“{index}”不存在", $"shared string \"{index}\" does not exist"));
        }
        return _sharedStrings[i];
    }

    /// <summary>Reads a <c>&lt;v&gt;</c>; more than a cell may hold fails as "cell too long".</summary>
    private string? ReadTextOfCell(XmlReader xml, int row)
    {
        if (xml.IsEmptyElement)
        {
            return null;
        }
        _text.Clear();
        if (!AppendText(xml, Limits.MaxCellChars))
        {
            throw CellTooLong(row);
        }
        return _text.Length == 0 ? null : _text.ToString();
    }

    /// <summary>
    /// Reads rich text (<c>&lt;si&gt;</c> or <c>&lt;is&gt;</c>) into <see cref="_text"/>: the runs' <c>&lt;t&gt;</c> in
    /// order, phonetic guides (<c>&lt;rPh&gt;</c>) left out, at most <paramref name="maxChars"/> kept.
    /// </summary>
    private void ReadRichText(XmlReader xml, int maxChars)
    {
        _text.Clear();
        if (xml.IsEmptyElement)
        {
            return;
        }
        var depth = xml.Depth;
        var phoneticDepth = -1;
        while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (xml.NodeType == XmlNodeType.Element && !xml.IsEmptyElement)
            {
                if (phoneticDepth < 0 && xml.LocalName == "rPh")
                {
                    phoneticDepth = xml.Depth;
                }
                else if (phoneticDepth < 0 && xml.LocalName == "t")
                {
                    AppendText(xml, maxChars);
                }
            }
            else if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == phoneticDepth)
            {
                phoneticDepth = -1;
            }
        }
    }

    /// <summary>
    /// Appends the text inside the current element to <see cref="_text"/> in chunks (a huge text node is never held
    /// whole), up to <paramref name="maxChars"/> in all; leaves the reader on the element's end. False if text was cut.
    /// </summary>
    private bool AppendText(XmlReader xml, int maxChars)
    {
        var complete = true;
        var depth = xml.Depth;
        while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (xml.NodeType is not (XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
            {
                continue;
            }
            if (!xml.CanReadValueChunk)
            {
                var value = xml.Value;
                var room = Math.Max(0, maxChars - _text.Length);
                _text.Append(value, 0, Math.Min(room, value.Length));
                complete &= value.Length <= room;
                continue;
            }
            int read;
            while ((read = xml.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0)
            {
                var room = Math.Max(0, maxChars - _text.Length);
                _text.Append(_chunk, 0, Math.Min(room, read));
                complete &= read <= room;
            }
        }
        return complete;
    }

    /// <summary>The zero-based column of a reference such as <c>C7</c>.</summary>
    private static int ColumnOf(string reference, int row)
    {
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z' && letters < 3)
            {
                column = column * 26 + (c - 'A' + 1);
                letters++;
            }
            else if (c is >= 'a' and <= 'z' && letters < 3)
            {
                column = column * 26 + (c - 'a' + 1);
                letters++;
            }
            else
            {
                break;
            }
        }
        if (letters == 0 || !int.TryParse(reference.AsSpan(letters), NumberStyles.None, CultureInfo.InvariantCulture, out var referencedRow) || referencedRow != row)
        {
            throw MalformedSheet(row, new LocalizedText($"单元格引用“{reference}”无效", $"cell reference \"{reference}\" is invalid"));
        }
        return column - 1;
    }

    private XmlReader? OpenXml(string path)
    {
        if (!_entries.TryGetValue(path, out var entry))
        {
            return null;
        }
        return XmlReader.Create(new BoundedReadStream(entry.Open(), Limits.MaxPartBytes, path), XmlSettings);
    }

    private static string RelationshipsPathOf(string partPath)
    {
        var slash = partPath.LastIndexOf('/');
        return slash < 0 ? "_rels/" + partPath + ".rels" : partPath[..(slash + 1)] + "_rels/" + partPath[(slash + 1)..] + ".rels";
    }

    /// <summary>The part a relationship target points at: relative to the source part's folder, or absolute from the package root.</summary>
    private static string ResolveTarget(string sourcePartPath, string target)
    {
        target = target.Replace('\\', '/');
        var folder = target.StartsWith('/') ? "" : sourcePartPath[..(sourcePartPath.LastIndexOf('/') + 1)];
        var segments = new List<string>();
        foreach (var segment in (folder + target).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }
        return string.Join('/', segments);
    }

    /// <summary>
    /// Reads the zip's end-of-central-directory record before <see cref="ZipArchive"/> loads every entry into memory,
    /// and refuses packages with more entries or a larger directory than any workbook needs.
    /// </summary>
    private static void CheckZipDirectory(Stream stream)
    {
        const int EndRecordSize = 22;
        const int MaxCommentSize = ushort.MaxValue;
        var tailLength = (int)Math.Min(stream.Length, EndRecordSize + MaxCommentSize);
        var tail = new byte[tailLength];
        stream.Position = stream.Length - tailLength;
        stream.ReadExactly(tail);
        stream.Position = 0;

        var end = tail.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        if (end < 0 || end + EndRecordSize > tail.Length)
        {
            throw Corrupt(null);
        }
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        long directoryBytes = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 12));
        if (entries == ushort.MaxValue || directoryBytes == uint.MaxValue)
        {
            // Zip64: the real counts are in the zip64 end record, found through the locator just before this one.
            var locator = end - 20;
            if (locator < 0 || !tail.AsSpan(locator).StartsWith("PK\u0006\u0007"u8))
            {
                throw Corrupt(null);
            }
            var recordOffset = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(locator + 8));
            if (recordOffset < 0 || recordOffset > stream.Length - 56)
            {
                throw Corrupt(null);
            }
            Span<byte> record = stackalloc byte[56];
            stream.Position = recordOffset;
            stream.ReadExactly(record);
            stream.Position = 0;
            if (!record.StartsWith("PK\u0006\u0006"u8))
            {
                throw Corrupt(null);
            }
            entries = BinaryPrimitives.ReadInt64LittleEndian(record[32..]);
            directoryBytes = BinaryPrimitives.ReadInt64LittleEndian(record[40..]);
        }
        if (entries is < 0 or > MaxZipEntries || directoryBytes is < 0 or > MaxCentralDirectoryBytes)
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.NotASpreadsheet, new(
                $"压缩包中的文件数量异常（{entries:N0} 个），不是正常的 Excel 工作簿",
                $"The package holds an implausible number of files ({entries:N0}); it is not a normal Excel workbook"));
        }
    }

    /// <summary>What <see cref="ZipArchive"/> and its entries' streams throw over a damaged package.</summary>
    private static bool IsDamage(Exception exception) => exception is InvalidDataException or NotSupportedException or IOException;

    private SpreadsheetException TooManySharedStrings() =>
        new(SpreadsheetErrorCodes.TooManySharedStrings, new(
            $"工作簿的共享字符串超过 {Limits.MaxSharedStrings:N0} 条或 {Limits.MaxSharedStringChars:N0} 个字符，请拆分为多个文件上传",
            $"The workbook's shared strings exceed {Limits.MaxSharedStrings:N0} entries or {Limits.MaxSharedStringChars:N0} characters; split the file and upload each part"));

    private static SpreadsheetException NotAWorkbook() =>
        new(SpreadsheetErrorCodes.NotASpreadsheet, new(
            "这是一个压缩包，但不是 Excel 工作簿（.xlsx）",
            "This is a zip package but not an Excel workbook (.xlsx)"));

    private static SpreadsheetException Corrupt(Exception? exception) =>
        new(SpreadsheetErrorCodes.NotASpreadsheet, new(
            "文件已损坏或不是有效的 Excel 工作簿（.xlsx）",
            "The file is damaged or not a valid Excel workbook (.xlsx)"), null, exception);

    private static SpreadsheetException MalformedSheet(int? row, XmlException exception) =>
        new(SpreadsheetErrorCodes.MalformedXml, new(
            row is null ? "工作簿内容不是有效的 XML（文件可能已损坏或被截断，且不允许 DTD）" : $"第 {row} 行附近的表格内容不是有效的 XML（文件可能已损坏或被截断，且不允许 DTD）",
            (row is null ? "The workbook's content is not valid XML" : $"The sheet's content near row {row} is not valid XML") + " (damaged, truncated, or with a DTD): " + exception.Message),
            row, exception);

    private static SpreadsheetException MalformedSheet(int row, LocalizedText what) =>
        new(SpreadsheetErrorCodes.MalformedXml, new($"第 {row} 行附近的表格结构异常：{what.Zh}", $"The sheet is malformed near row {row}: {what.En}"), row);
}
