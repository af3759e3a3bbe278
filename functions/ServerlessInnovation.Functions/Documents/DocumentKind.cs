using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>What a bureau uploads. Only catalogs are read; the others are kept and attached to the bureau or a carrier.</summary>
public enum DocumentKind
{
    /// <summary>载体名录: the incubators and maker spaces under the bureau, as a spreadsheet; applied to the catalog.</summary>
    Catalog = 1,

    /// <summary>资质文件: a carrier's recognition certificate or qualification evidence.</summary>
    Qualification = 2,

    /// <summary>政策文件: a policy notice.</summary>
    Policy = 3,

    /// <summary>统计汇总表: a signed statistics summary sheet (often a scan), or its spreadsheet.</summary>
    Statistics = 4,
}

public static class DocumentKinds
{
    public static readonly IReadOnlyList<DocumentKind> All = [DocumentKind.Catalog, DocumentKind.Qualification, DocumentKind.Policy, DocumentKind.Statistics];

    public static string Code(this DocumentKind kind) => kind switch
    {
        DocumentKind.Catalog => "catalog",
        DocumentKind.Qualification => "qualification",
        DocumentKind.Policy => "policy",
        DocumentKind.Statistics => "statistics",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static LocalizedText Name(this DocumentKind kind) => kind switch
    {
        DocumentKind.Catalog => new("载体名录", "Carrier catalog"),
        DocumentKind.Qualification => new("资质文件", "Qualification document"),
        DocumentKind.Policy => new("政策文件", "Policy document"),
        DocumentKind.Statistics => new("统计汇总表", "Statistics summary"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The formats a document of this kind may have.</summary>
    public static IReadOnlyList<FileType> Formats(this DocumentKind kind) => kind switch
    {
        DocumentKind.Catalog => [FileType.Csv, FileType.Xlsx],
        DocumentKind.Qualification => [FileType.Pdf, FileType.Png, FileType.Jpeg],
        DocumentKind.Policy => [FileType.Pdf],
        DocumentKind.Statistics => [FileType.Pdf, FileType.Png, FileType.Jpeg, FileType.Xlsx, FileType.Csv],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether documents of this kind are read and applied (the others are only stored).</summary>
    public static bool IsIngested(this DocumentKind kind) => kind == DocumentKind.Catalog;

    public static string Codes { get; } = string.Join(", ", All.Select(k => k.Code()));

    public static bool TryParse(string? code, out DocumentKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code(), code, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
