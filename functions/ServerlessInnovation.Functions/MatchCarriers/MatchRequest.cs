using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.MatchCarriers;

/// <summary>
/// A startup's profile as posted to <c>POST /api/matches</c>. Every member is optional on the wire so that all
/// missing and invalid fields can be reported at once; <see cref="Validate"/> turns it into a <see cref="StartupProfile"/>.
/// </summary>
public sealed record MatchRequest
{
    public string? Stage { get; init; }
    public DateOnly? RegisteredOn { get; init; }
    public string? Industry { get; init; }
    public int? TeamSize { get; init; }
    public int? RdStaffSharePercent { get; init; }
    public long? LastYearRevenueCny { get; init; }
    public long? LastYearRdExpenseCny { get; init; }
    public long? TotalAssetsCny { get; init; }
    public IntellectualPropertyInput? IntellectualProperty { get; init; }
    public SpaceInput? Space { get; init; }
    public string?[]? WantedServices { get; init; }
    public string?[]? PreferredDistricts { get; init; }
    public LocationInput? Location { get; init; }
    public string?[]? CarrierTypes { get; init; }
    public int? Top { get; init; }

    public const long MaxMoneyCny = 1_000_000_000_000;
    public const int MaxTeamSize = 10_000;
    public const int MaxPreferredDistricts = 20;
    public static readonly DateOnly EarliestRegistration = new(1980, 1, 1);

    /// <summary>Checks every field and builds the profile; <paramref name="errors"/> lists what is wrong otherwise.</summary>
    public StartupProfile? Validate(DateOnly today, IReadOnlyCollection<District> districts, int maxTop, FieldErrors errors)
    {
        var stage = default(StartupStage);
        if (Stage is null)
        {
            errors.Required("stage");
        }
        else if (!StartupStages.TryParse(Stage, out stage))
        {
            errors.UnknownCode("stage", "green, yellow, red");
        }

        if (RegisteredOn is { } registered && (registered < EarliestRegistration || registered > today))
        {
            errors.Add("registeredOn", "out-of-range", new(
                $"注册日期须在{EarliestRegistration:yyyy-MM-dd}到今天（{today:yyyy-MM-dd}）之间",
                $"The registration date must be between {EarliestRegistration:yyyy-MM-dd} and today ({today:yyyy-MM-dd})"));
        }

        Industry? industry = null;
        if (Industry is null)
        {
            errors.Required("industry");
        }
        else if (!Domain.Catalog.Industries.TryParse(Industry, out var parsedIndustry))
        {
            errors.UnknownCode("industry", Domain.Catalog.Industries.Codes);
        }
        else
        {
            industry = parsedIndustry;
        }

        errors.Range("teamSize", TeamSize, 1, MaxTeamSize, required: true);
        errors.Range("rdStaffSharePercent", RdStaffSharePercent, 0, 100, required: true);
        errors.Range("lastYearRevenueCny", LastYearRevenueCny, 0, MaxMoneyCny);
        errors.Range("lastYearRdExpenseCny", LastYearRdExpenseCny, 0, MaxMoneyCny);
        errors.Range("totalAssetsCny", TotalAssetsCny, 0, MaxMoneyCny);
        if (IntellectualProperty is { } ip)
        {
            errors.Range("intellectualProperty.classI", ip.ClassI, 0, 100_000);
            errors.Range("intellectualProperty.classII", ip.ClassII, 0, 100_000);
        }

        var space = ValidateSpace(errors);
        var services = errors.Codes<CarrierServices>("wantedServices", WantedServices, ServiceCatalog.All.Count, ServiceCatalog.TryParse, ServiceCatalog.Codes);
        var preferred = errors.Codes<string>("preferredDistricts", PreferredDistricts, MaxPreferredDistricts,
            (string? code, out string value) => (value = code!) is not null && districts.Any(d => d.Code == code),
            string.Join(", ", districts.Select(d => d.Code)));
        var types = errors.Codes<CarrierType>("carrierTypes", CarrierTypes, 2, CarrierTypesParser, "incubator, maker-space");
        var location = ValidateLocation(errors);
        errors.Range("top", Top, 1, maxTop);

        if (errors.Any || industry is null || space is null)
        {
            return null;
        }
        return new StartupProfile
        {
            Stage = stage,
            RegisteredOn = RegisteredOn,
            Industry = industry,
            TeamSize = TeamSize!.Value,
            RdStaffSharePercent = RdStaffSharePercent!.Value,
            LastYearRevenueCny = LastYearRevenueCny ?? 0,
            LastYearRdExpenseCny = LastYearRdExpenseCny,
            TotalAssetsCny = TotalAssetsCny,
            IntellectualProperty = IntellectualProperty is { } given ? new(given.ClassI ?? 0, given.ClassII ?? 0) : null,
            Space = space.Value,
            WantedServices = services.Aggregate(CarrierServices.None, (set, s) => set | s),
            PreferredDistricts = preferred,
            Location = location,
            CarrierTypes = types,
        };
    }

    private static bool CarrierTypesParser(string? code, out CarrierType type) => Domain.Catalog.CarrierTypes.TryParse(code, out type);

    private SpaceNeed? ValidateSpace(FieldErrors errors)
    {
        switch (Space)
        {
            case null:
                errors.Required("space");
                return null;
            case { AreaM2: not null, Workstations: not null }:
                errors.Add("space", "one-of", new("面积和工位数只能填一项", "Give either areaM2 or workstations, not both"));
                return null;
            case { AreaM2: { } area }:
                return errors.Range("space.areaM2", area, 1.0, 100_000.0) ? SpaceNeed.Area(area) : null;
            case { Workstations: { } desks }:
                return errors.Range("space.workstations", desks, 1, 1_000) ? SpaceNeed.Desks(desks) : null;
            default:
                errors.Add("space", "one-of", new("须填写面积（areaM2）或工位数（workstations）", "Give areaM2 or workstations"));
                return null;
        }
    }

    private GeoPoint? ValidateLocation(FieldErrors errors)
    {
        if (Location is null)
        {
            return null;
        }
        var latitude = errors.Range("location.latitude", Location.Latitude, -90.0, 90.0, required: true);
        var longitude = errors.Range("location.longitude", Location.Longitude, -180.0, 180.0, required: true);
        return latitude && longitude ? new GeoPoint(Location.Latitude!.Value, Location.Longitude!.Value) : null;
    }
}

public sealed record SpaceInput
{
    public double? AreaM2 { get; init; }
    public int? Workstations { get; init; }
}

public sealed record LocationInput
{
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
}

public sealed record IntellectualPropertyInput
{
    public int? ClassI { get; init; }
    public int? ClassII { get; init; }
}
