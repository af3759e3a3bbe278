using System.Globalization;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// An uploaded spreadsheet that cannot be read as a whole: not a spreadsheet, wrongly encoded, over a limit, or
/// without the catalog's required columns. <see cref="Code"/> is stable for programs; <see cref="Reason"/> is for the uploader.
/// </summary>
public sealed class SpreadsheetException : Exception
{
    public SpreadsheetException(string code, LocalizedText reason, int? row = null, Exception? innerException = null)
        : base(Describe(code, reason, row), innerException)
    {
        Code = code;
        Reason = reason;
        Row = row;
    }

    /// <summary>One of <see cref="SpreadsheetErrorCodes"/>.</summary>
    public string Code { get; }

    public LocalizedText Reason { get; }

    /// <summary>The row (as Excel numbers it) where reading stopped, when known.</summary>
    public int? Row { get; }

    /// <summary>Where in the file the problem is, in bytes from the start, when that is what locates it (an encoding error).</summary>
    public long? ByteOffset { get; init; }

    private static string Describe(string code, LocalizedText reason, int? row) => row is null
        ? string.Create(CultureInfo.InvariantCulture, $"{code}: {reason.En}")
        : string.Create(CultureInfo.InvariantCulture, $"{code} (row {row}): {reason.En}");
}

/// <summary>The stable codes of <see cref="SpreadsheetException"/>.</summary>
public static class SpreadsheetErrorCodes
{
    /// <summary>Empty, binary, legacy .xls, a zip that is not a workbook, or a workbook without a sheet.</summary>
    public const string NotASpreadsheet = "not-a-spreadsheet";

    /// <summary>Declared (or marked by a BOM) as UTF-8, but the bytes are not UTF-8.</summary>
    public const string NotUtf8 = "not-utf8";

    /// <summary>Not UTF-8, and not valid in the encoding it was read as (GB18030 or a declared one) either.</summary>
    public const string BadEncoding = "bad-encoding";

    /// <summary>A CSV whose quoting never ends.</summary>
    public const string MalformedCsv = "malformed-csv";

    /// <summary>A part of an XLSX that is not well-formed XML, holds a DTD, or does not have the shape of a sheet.</summary>
    public const string MalformedXml = "malformed-xml";

    /// <summary>A part of an XLSX that decompresses past <see cref="SheetLimits.MaxPartBytes"/> (a zip bomb, or simply too big).</summary>
    public const string PartTooLarge = "part-too-large";

    public const string TooManyRows = "too-many-rows";
    public const string TooManyColumns = "too-many-columns";
    public const string TooManyCells = "too-many-cells";
    public const string CellTooLong = "cell-too-long";
    public const string TooManySharedStrings = "too-many-shared-strings";

    /// <summary>The sheet has no header row.</summary>
    public const string MissingHeader = "missing-header";

    /// <summary>The header lacks required catalog columns.</summary>
    public const string MissingColumns = "missing-columns";

    /// <summary>Two header cells name the same catalog column.</summary>
    public const string DuplicateColumn = "duplicate-column";
}
