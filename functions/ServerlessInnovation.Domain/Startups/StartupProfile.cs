using ServerlessInnovation.Domain.Catalog;

namespace ServerlessInnovation.Domain.Startups;

/// <summary>How much space a startup needs: an area, or a number of workstations.</summary>
public readonly record struct SpaceNeed
{
    private SpaceNeed(double areaM2, int workstations)
    {
        AreaM2 = areaM2;
        Workstations = workstations;
    }

    /// <summary>Area asked for in m², or 0 when the need is in workstations.</summary>
    public double AreaM2 { get; }

    /// <summary>Workstations asked for, or 0 when the need is an area.</summary>
    public int Workstations { get; }

    public static SpaceNeed Area(double m2) => m2 > 0 && double.IsFinite(m2)
        ? new(m2, 0)
        : throw new ArgumentOutOfRangeException(nameof(m2), m2, "The area must be positive.");

    public static SpaceNeed Desks(int workstations) => workstations > 0
        ? new(0, workstations)
        : throw new ArgumentOutOfRangeException(nameof(workstations), workstations, "At least one workstation.");

    public bool IsWorkstations => Workstations > 0;
}

/// <summary>Intellectual property held, in the classes of the tech-based SME test.</summary>
/// <param name="ClassI">Class I IP: invention patents, plant varieties, IC layout designs, new drugs and the like.</param>
/// <param name="ClassII">Class II IP: utility models, designs, software copyrights and the like.</param>
public sealed record IntellectualProperty(int ClassI, int ClassII);

/// <summary>What a startup tells us about itself to be matched with carriers.</summary>
public sealed record StartupProfile
{
    public required StartupStage Stage { get; init; }
    /// <summary>Date of business registration; null while not registered.</summary>
    public DateOnly? RegisteredOn { get; init; }
    public required Industry Industry { get; init; }
    public required int TeamSize { get; init; }
    /// <summary>R&amp;D staff as a percentage of the team, 0–100.</summary>
    public required int RdStaffSharePercent { get; init; }
    /// <summary>Last year's revenue in yuan (0 before the first revenue).</summary>
    public required long LastYearRevenueCny { get; init; }
    /// <summary>Last year's R&amp;D expense in yuan, if given: with it the tech-based SME test can be scored.</summary>
    public long? LastYearRdExpenseCny { get; init; }
    /// <summary>Total assets in yuan, if given.</summary>
    public long? TotalAssetsCny { get; init; }
    public IntellectualProperty? IntellectualProperty { get; init; }
    public required SpaceNeed Space { get; init; }
    public CarrierServices WantedServices { get; init; }
    public IReadOnlyList<string> PreferredDistricts { get; init; } = [];
    public GeoPoint? Location { get; init; }
    /// <summary>Carrier types the startup is looking for; empty means any.</summary>
    public IReadOnlyList<CarrierType> CarrierTypes { get; init; } = [];

    /// <summary>Whole months from registration to <paramref name="today"/>; 0 for an unregistered startup, which registers on entry.</summary>
    public int CompanyAgeMonths(DateOnly today)
    {
        if (RegisteredOn is not { } registered || registered >= today)
        {
            return 0;
        }
        var months = (today.Year - registered.Year) * 12 + today.Month - registered.Month;
        return today.Day < registered.Day ? months - 1 : months;
    }
}
