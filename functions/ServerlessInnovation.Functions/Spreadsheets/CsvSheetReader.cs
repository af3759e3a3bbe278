using System.Text;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// Reads a CSV as RFC 4180 describes it (quoted fields, doubled quotes, CRLF or LF, line breaks inside quotes), and as
/// Excel reads it: a record is one row even when a quoted field spans lines, and a quote inside an unquoted field is
/// kept as text. The separator is a comma, or a tab when the header line has tabs and no comma (Excel's "Unicode text").
/// </summary>
public sealed class CsvSheetReader : SheetReader
{
    private const int BufferChars = 32 * 1024;

    private readonly StreamReader _reader;
    private readonly char[] _buffer = new char[BufferChars];
    private readonly StringBuilder _field = new();
    private readonly List<SheetCell> _cells = [];
    private int _position;
    private int _length;
    private bool _endOfFile;
    private char _separator = ',';
    private int _recordNumber;

    private CsvSheetReader(Stream stream, Encoding encoding, SheetLimits limits, bool leaveOpen)
        : base(limits)
    {
        Encoding = encoding;
        _reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen);
    }

    /// <summary>The encoding the file is read in (see <see cref="CsvEncoding.Detect"/>).</summary>
    public Encoding Encoding { get; }

    internal static CsvSheetReader Create(Stream stream, SheetLimits limits, Encoding? declaredEncoding, bool leaveOpen)
    {
        var encoding = CsvEncoding.Detect(stream, declaredEncoding);
        return new CsvSheetReader(stream, encoding, limits, leaveOpen);
    }

    private protected override SheetRow? ReadNextRow()
    {
        if (_recordNumber == 0)
        {
            Start();
        }
        if (Peek() < 0)
        {
            return null;
        }

        _recordNumber++;
        _cells.Clear();
        var fieldIndex = 0;
        var atFieldStart = true;
        var inQuotes = false;
        while (true)
        {
            var next = Read();
            if (next < 0)
            {
                if (inQuotes)
                {
                    throw new SpreadsheetException(SpreadsheetErrorCodes.MalformedCsv, new(
                        $"第 {_recordNumber} 行的引号直到文件末尾都没有闭合",
                        $"A quote opened in row {_recordNumber} is never closed before the end of the file"), _recordNumber);
                }
                EndField(ref fieldIndex);
                return EndRecord();
            }
            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        Read();
                        Append('"', inQuotes);
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    Append(c, inQuotes);
                }
            }
            else if (c == _separator)
            {
                EndField(ref fieldIndex);
                atFieldStart = true;
                continue;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && Peek() == '\n')
                {
                    Read();
                }
                EndField(ref fieldIndex);
                return EndRecord();
            }
            else if (c == '"' && atFieldStart)
            {
                inQuotes = true;
            }
            else
            {
                Append(c, inQuotes);
            }
            atFieldStart = false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Drops a byte order mark and picks the separator from the header line.</summary>
    private void Start()
    {
        if (Peek() == '\uFEFF')
        {
            Read();
        }
        var line = _buffer.AsSpan(_position, _length - _position);
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }
        if (line.Contains('\t') && !line.Contains(','))
        {
            _separator = '\t';
        }
    }

    private void Append(char c, bool inQuotes)
    {
        if (_field.Length >= Limits.MaxCellChars)
        {
            throw CellTooLong(_recordNumber, inQuotes);
        }
        _field.Append(c);
    }

    private void EndField(ref int fieldIndex)
    {
        var value = _field.Length == 0 ? null : _field.ToString();
        _field.Clear();
        if (fieldIndex < Limits.MaxColumns)
        {
            _cells.Add(SheetCell.Text(value));
        }
        else if (!string.IsNullOrWhiteSpace(value))
        {
            throw TooManyColumns(_recordNumber);
        }
        fieldIndex++;
    }

    private SheetRow EndRecord()
    {
        CountCells(_cells.Count, _recordNumber);
        return new SheetRow(_recordNumber, _cells.ToArray());
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }
        return _buffer[_position];
    }

    private int Read()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }
        return _buffer[_position++];
    }

    private bool Fill()
    {
        if (_endOfFile)
        {
            return false;
        }
        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException exception)
        {
            var row = Math.Max(_recordNumber, 1);
            throw new SpreadsheetException(SpreadsheetErrorCodes.BadEncoding, new(
                $"第 {row} 行附近有无法识别的字节：文件不是 {_reader.CurrentEncoding.WebName} 编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新上传",
                $"Unreadable bytes near row {row}: the file is not in {_reader.CurrentEncoding.WebName}. Save it from Excel as \"CSV UTF-8 (Comma delimited)\" and upload again"),
                row, exception);
        }
        _position = 0;
        _endOfFile = _length == 0;
        return !_endOfFile;
    }
}
