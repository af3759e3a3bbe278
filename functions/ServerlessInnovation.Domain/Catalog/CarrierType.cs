namespace ServerlessInnovation.Domain.Catalog;

/// <summary>What kind of incubation carrier (孵化载体) a place is.</summary>
public enum CarrierType
{
    /// <summary>科技企业孵化器: takes registered companies into incubation.</summary>
    Incubator = 1,

    /// <summary>众创空间: takes teams and very young companies, often by workstation.</summary>
    MakerSpace = 2,
}

/// <summary>Whether a carrier serves all industries or one.</summary>
public enum CarrierFocus
{
    /// <summary>综合孵化器: any industry.</summary>
    Comprehensive = 1,

    /// <summary>专业孵化器: at least 75% of its enterprises in its focus industries; others are not admitted.</summary>
    Specialised = 2,
}

public static class CarrierTypes
{
    public static readonly IReadOnlyList<CarrierType> All = [CarrierType.Incubator, CarrierType.MakerSpace];

    public static string Code(this CarrierType type) => type switch
    {
        CarrierType.Incubator => "incubator",
        CarrierType.MakerSpace => "maker-space",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static LocalizedText Name(this CarrierType type) => type switch
    {
        CarrierType.Incubator => new("科技企业孵化器", "Technology business incubator"),
        CarrierType.MakerSpace => new("众创空间", "Maker space"),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? code, out CarrierType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code(), code, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static string Code(this CarrierFocus focus) => focus switch
    {
        CarrierFocus.Comprehensive => "comprehensive",
        CarrierFocus.Specialised => "specialised",
        _ => throw new ArgumentOutOfRangeException(nameof(focus), focus, null),
    };

    public static LocalizedText Name(this CarrierFocus focus) => focus switch
    {
        CarrierFocus.Comprehensive => new("综合型", "Comprehensive"),
        CarrierFocus.Specialised => new("专业型", "Specialised"),
        _ => throw new ArgumentOutOfRangeException(nameof(focus), focus, null),
    };

    public static bool TryParseFocus(string? code, out CarrierFocus focus)
    {
        foreach (var candidate in (ReadOnlySpan<CarrierFocus>)[CarrierFocus.Comprehensive, CarrierFocus.Specialised])
        {
            if (string.Equals(candidate.Code(), code, StringComparison.Ordinal))
            {
                focus = candidate;
                return true;
            }
        }
        focus = default;
        return false;
    }
}
