using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// Reads the rows of an uploaded spreadsheet (CSV, or the first sheet of an XLSX workbook) one at a time from a
/// seekable local file, with memory that does not grow with the file. Rows with nothing in them are skipped, but
/// row numbers stay those of the file. Whatever is wrong with the file itself surfaces as a
/// <see cref="SpreadsheetException"/>, and as nothing else.
/// </summary>
public abstract class SheetReader : IDisposable
{
    private readonly SheetLimits _limits;
    private int _rowsRead;
    private long _cellsRead;
    private bool _disposed;

    private protected SheetReader(SheetLimits limits)
    {
        _limits = limits;
    }

    /// <summary>
    /// Opens <paramref name="stream"/> from its start as XLSX or CSV, told apart by content rather than by name.
    /// <paramref name="declaredEncoding"/> is the charset the uploader declared for a CSV, if any: UTF-8 is then checked,
    /// never second-guessed; without one a CSV is UTF-8 when its bytes are, else GB18030 (Excel's "CSV" on Chinese Windows).
    /// </summary>
    public static SheetReader Open(Stream stream, SheetLimits? limits = null, Encoding? declaredEncoding = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("A spreadsheet is read from a seekable local copy.", nameof(stream));
        }
        limits ??= SheetLimits.Default;

        Span<byte> head = stackalloc byte[8];
        stream.Position = 0;
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        head = head[..length];
        if (length == 0)
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.NotASpreadsheet, new("文件为空", "The file is empty"));
        }
        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return XlsxSheetReader.Create(stream, limits, leaveOpen);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.NotASpreadsheet, new(
                "不支持旧版 Excel 97-2003（.xls）格式，请另存为 .xlsx 或 CSV 后重新上传",
                "Excel 97-2003 (.xls) files are not supported; save as .xlsx or CSV and upload again"));
        }
        return CsvSheetReader.Create(stream, limits, declaredEncoding, leaveOpen);
    }

    /// <summary>Reads the next row that has at least one non-blank cell; false at the end of the sheet.</summary>
    public bool TryReadRow([NotNullWhen(true)] out SheetRow? row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (ReadNextRow() is { } next)
        {
            if (next.Cells.All(c => c.IsBlank))
            {
                continue;
            }
            _rowsRead++;
            if (_rowsRead - 1 > _limits.MaxDataRows)
            {
                throw new SpreadsheetException(SpreadsheetErrorCodes.TooManyRows, new(
                    $"数据超过 {_limits.MaxDataRows:N0} 行（表头除外），请拆分为多个文件上传",
                    $"More than {_limits.MaxDataRows:N0} data rows (besides the header); split the file and upload each part"), next.Number);
            }
            row = next;
            return true;
        }
        row = null;
        return false;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Dispose(true);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>The next row of the file, blank or not; null at the end. Subclasses check columns and cell lengths themselves.</summary>
    private protected abstract SheetRow? ReadNextRow();

    protected virtual void Dispose(bool disposing)
    {
    }

    private protected SheetLimits Limits => _limits;

    /// <summary>Counts a row's stored cells against <see cref="SheetLimits.MaxCells"/>.</summary>
    private protected void CountCells(int cells, int rowNumber)
    {
        _cellsRead += cells;
        if (_cellsRead > _limits.MaxCells)
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.TooManyCells, new(
                $"单元格总数超过 {_limits.MaxCells:N0} 个，请拆分为多个文件上传",
                $"More than {_limits.MaxCells:N0} cells in total; split the file and upload each part"), rowNumber);
        }
    }

    private protected SpreadsheetException TooManyColumns(int rowNumber) =>
        new(SpreadsheetErrorCodes.TooManyColumns, new(
            $"第 {rowNumber} 行超过 {_limits.MaxColumns} 列；载体目录模板的列数远少于此，请删除多余的列",
            $"Row {rowNumber} has more than {_limits.MaxColumns} columns; the catalog template has far fewer, remove the extra ones"), rowNumber);

    private protected SpreadsheetException CellTooLong(int rowNumber, bool inOpenQuote = false) =>
        new(SpreadsheetErrorCodes.CellTooLong, new(
            $"第 {rowNumber} 行有单元格超过 {_limits.MaxCellChars:N0} 个字符{(inOpenQuote ? "（可能有未闭合的引号）" : "")}",
            $"A cell in row {rowNumber} is longer than {_limits.MaxCellChars:N0} characters{(inOpenQuote ? " (perhaps a quote is never closed)" : "")}"), rowNumber);
}
