using System.Diagnostics.CodeAnalysis;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// What is wrong with one cell of an uploaded catalog (or, with no row data, a header warning). <see cref="Column"/> is
/// the header as the uploader wrote it; <see cref="Code"/> is one of <see cref="RowErrorCodes"/>.
/// </summary>
public sealed record RowError(int Row, string? Column, string Code, LocalizedText Message);

/// <summary>One data row of an uploaded catalog: the carrier it describes, or every problem found in its cells.</summary>
public sealed record CatalogRow(int Number, Carrier? Carrier, IReadOnlyList<RowError> Errors)
{
    [MemberNotNullWhen(true, nameof(Carrier))]
    public bool IsValid => Carrier is not null;
}

/// <summary>The stable codes of <see cref="RowError"/>.</summary>
public static class RowErrorCodes
{
    /// <summary>A header that names no catalog column; its cells are ignored (a warning, not an error).</summary>
    public const string UnknownColumn = "unknown-column";

    public const string Required = "required";

    /// <summary>An XLSX cell computed by a formula: values must be pasted, not computed.</summary>
    public const string Formula = "formula";

    /// <summary>Text that a spreadsheet program would run as a formula (starts with =, +, - or @).</summary>
    public const string FormulaLike = "formula-like";

    /// <summary>An Excel error value such as #N/A.</summary>
    public const string ErrorValue = "error-value";

    public const string ControlCharacter = "control-character";
    public const string TooLong = "too-long";
    public const string InvalidId = "invalid-id";
    public const string NotANumber = "not-a-number";
    public const string NotAnInteger = "not-an-integer";
    public const string OutOfRange = "out-of-range";
    public const string NotADate = "not-a-date";

    /// <summary>A value outside a fixed list (type, focus, district, level, stage, yes/no, industries, services).</summary>
    public const string UnknownValue = "unknown-value";

    public const string FreeAreaExceedsTotal = "free-exceeds-total";

    /// <summary>A tier's end date before its award date.</summary>
    public const string DateOrder = "date-order";

    /// <summary>Tier details without a tier level.</summary>
    public const string TierLevelRequired = "tier-level-required";

    /// <summary>A specialised carrier without focus industries.</summary>
    public const string IndustriesRequired = "industries-required";
}
