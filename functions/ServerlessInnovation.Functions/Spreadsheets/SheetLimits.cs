namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// How much of an uploaded spreadsheet a reader accepts before refusing the file. Every limit bounds memory or work,
/// so that a 100 MiB upload, or a small zip that expands to gigabytes, costs the same as an honest catalog.
/// </summary>
public sealed record SheetLimits
{
    public static SheetLimits Default { get; } = new();

    /// <summary>Columns that may hold a value; empty cells further right are ignored.</summary>
    public int MaxColumns { get; init; } = 64;

    /// <summary>Characters in one cell.</summary>
    public int MaxCellChars { get; init; } = 4_000;

    /// <summary>Non-empty rows after the header.</summary>
    public int MaxDataRows { get; init; } = 50_000;

    /// <summary>Cells over the whole sheet, header included.</summary>
    public long MaxCells { get; init; } = 3_000_000;

    /// <summary>Decompressed bytes of any one part of an XLSX package, counted as they are read (the zip header's sizes are not trusted).</summary>
    public long MaxPartBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Characters held for an XLSX's shared strings, all strings together.</summary>
    public long MaxSharedStringChars { get; init; } = 64L * 1024 * 1024;

    /// <summary>Entries in an XLSX's shared string table.</summary>
    public int MaxSharedStrings { get; init; } = 3_000_000;
}
