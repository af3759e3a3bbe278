namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>What a spreadsheet cell holds, as far as a reader can tell without evaluating anything.</summary>
public enum SheetCellKind
{
    /// <summary>No value: a missing cell, an empty field.</summary>
    Empty = 0,

    /// <summary>Text: every CSV field, and XLSX shared, inline and ISO-date strings.</summary>
    Text,

    /// <summary>An XLSX number, as its invariant text (<c>45123</c>, <c>1.5E-3</c>); in a date column, an Excel serial date.</summary>
    Number,

    /// <summary>An XLSX boolean, as <c>TRUE</c> or <c>FALSE</c>.</summary>
    Boolean,

    /// <summary>An XLSX error value such as <c>#N/A</c> or <c>#REF!</c>.</summary>
    Error,

    /// <summary>An XLSX cell computed by a formula; the value is the cached result, never evaluated here.</summary>
    Formula,
}

/// <summary>One cell of a spreadsheet row: its value as text and what kind of value it is.</summary>
public readonly record struct SheetCell(string? Value, SheetCellKind Kind)
{
    public static SheetCell Empty => default;

    public static SheetCell Text(string? value) =>
        string.IsNullOrEmpty(value) ? Empty : new SheetCell(value, SheetCellKind.Text);

    /// <summary>Whether the cell has nothing a user would see (no value, or only whitespace) and no formula.</summary>
    public bool IsBlank => Kind != SheetCellKind.Formula && string.IsNullOrWhiteSpace(Value);
}

/// <summary>
/// One row of a spreadsheet as the uploader sees it: <see cref="Number"/> is the row number Excel shows (the header
/// is row 1), and <see cref="Cells"/> holds column A first, with empty cells where the sheet has gaps.
/// </summary>
public sealed record SheetRow(int Number, IReadOnlyList<SheetCell> Cells)
{
    /// <summary>The cell in column <paramref name="index"/> (0 = A), empty past the end of the row.</summary>
    public SheetCell this[int index] => (uint)index < (uint)Cells.Count ? Cells[index] : SheetCell.Empty;
}
