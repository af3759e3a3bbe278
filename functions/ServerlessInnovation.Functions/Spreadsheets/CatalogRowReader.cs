using System.Diagnostics.CodeAnalysis;
using System.Text;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// Reads a bureau's carrier catalog spreadsheet: row 1 is the header (Chinese headers or English names, in any order),
/// and each following row becomes a valid <see cref="Carrier"/> or the list of everything wrong with its cells. Only
/// the file as a whole can fail (with a <see cref="SpreadsheetException"/>): unreadable, over a limit, or missing
/// required columns. Whether a carrier belongs to the uploading bureau, or repeats an id, is for the caller to judge.
/// </summary>
public sealed class CatalogRowReader : IDisposable
{
    private readonly SheetReader _sheet;
    private readonly int[] _columnIndex;
    private readonly string[] _columnHeader;

    /// <summary>Takes ownership of <paramref name="sheet"/> and reads its header.</summary>
    public CatalogRowReader(SheetReader sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        _sheet = sheet;
        _columnIndex = new int[CatalogColumns.All.Count];
        Array.Fill(_columnIndex, -1);
        _columnHeader = [.. CatalogColumns.All.Select(c => c.Header)];
        try
        {
            Warnings = ReadHeader();
        }
        catch
        {
            sheet.Dispose();
            throw;
        }
    }

    /// <summary>Opens a CSV or XLSX catalog from its start (see <see cref="SheetReader.Open"/>) and reads its header.</summary>
    public static CatalogRowReader Open(Stream stream, SheetLimits? limits = null, Encoding? declaredEncoding = null, bool leaveOpen = false) =>
        new(SheetReader.Open(stream, limits, declaredEncoding, leaveOpen));

    /// <summary>Header cells that name no catalog column (their cells are ignored), as <see cref="RowErrorCodes.UnknownColumn"/>.</summary>
    public IReadOnlyList<RowError> Warnings { get; }

    /// <summary>Reads the next data row (blank rows are skipped); false after the last one.</summary>
    public bool TryReadRow([NotNullWhen(true)] out CatalogRow? row)
    {
        if (!_sheet.TryReadRow(out var sheetRow))
        {
            row = null;
            return false;
        }
        row = new CatalogRowParser(sheetRow, _columnIndex, _columnHeader, _sheet is XlsxSheetReader { Uses1904DateSystem: true }).Parse();
        return true;
    }

    /// <summary>The header of <paramref name="column"/> as the file wrote it (its Chinese header when the file has no such column).</summary>
    public string HeaderOf(CatalogColumn column) => _columnHeader[IndexOf(column)];

    public void Dispose() => _sheet.Dispose();

    private List<RowError> ReadHeader()
    {
        if (!_sheet.TryReadRow(out var header))
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.MissingHeader, new(
                "表格是空的：第一行应为表头（可从模板复制）",
                "The sheet is empty: row 1 should be the header (copy it from the template)"));
        }
        var warnings = new List<RowError>();
        var duplicatesZh = new List<string>();
        var duplicatesEn = new List<string>();
        for (var i = 0; i < header.Cells.Count; i++)
        {
            var text = header.Cells[i].Value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            if (CatalogColumns.Find(text) is not { } column)
            {
                warnings.Add(new RowError(header.Number, text, RowErrorCodes.UnknownColumn, new(
                    $"无法识别的列“{text}”，该列内容将被忽略",
                    $"Unknown column \"{text}\"; its cells are ignored")));
                continue;
            }
            var position = IndexOf(column);
            if (_columnIndex[position] >= 0)
            {
                duplicatesZh.Add($"“{_columnHeader[position]}”与“{text}”");
                duplicatesEn.Add($"\"{_columnHeader[position]}\" and \"{text}\"");
                continue;
            }
            _columnIndex[position] = i;
            _columnHeader[position] = text;
        }
        if (duplicatesZh.Count > 0)
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.DuplicateColumn, new(
                $"表头中有重复的列：{string.Join("、", duplicatesZh)}，每列只能出现一次",
                $"The header repeats columns: {string.Join("; ", duplicatesEn)}; each may appear once"),
                header.Number);
        }
        var missing = CatalogColumns.All.Where((c, i) => c.Required && _columnIndex[i] < 0).ToList();
        if (missing.Count > 0)
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.MissingColumns, new(
                $"表头（第 {header.Number} 行）缺少必填列：{string.Join("、", missing.Select(c => c.Label))}。请使用模板的表头",
                $"The header (row {header.Number}) lacks required columns: {string.Join(", ", missing.Select(c => $"{c.EnglishName} ({c.Header})"))}. Use the template's header"),
                header.Number);
        }
        return warnings;
    }

    internal static int IndexOf(CatalogColumn column)
    {
        for (var i = 0; i < CatalogColumns.All.Count; i++)
        {
            if (ReferenceEquals(CatalogColumns.All[i], column))
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(column), column.Header, null);
    }
}
