using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>A startup profile as stored with an application and carried in a match id: codes and numbers, no objects.</summary>
public sealed record ProfileRecord(
    string Stage,
    DateOnly? RegisteredOn,
    string Industry,
    int TeamSize,
    int RdStaffSharePercent,
    long LastYearRevenueCny,
    long? LastYearRdExpenseCny,
    long? TotalAssetsCny,
    int? IpClassI,
    int? IpClassII,
    double? AreaM2,
    int? Workstations,
    IReadOnlyList<string> WantedServices,
    IReadOnlyList<string> PreferredDistricts,
    double? Latitude,
    double? Longitude,
    IReadOnlyList<string> CarrierTypes)
{
    public static ProfileRecord From(StartupProfile profile) => new(
        profile.Stage.Code(),
        profile.RegisteredOn,
        profile.Industry.Code,
        profile.TeamSize,
        profile.RdStaffSharePercent,
        profile.LastYearRevenueCny,
        profile.LastYearRdExpenseCny,
        profile.TotalAssetsCny,
        profile.IntellectualProperty?.ClassI,
        profile.IntellectualProperty?.ClassII,
        profile.Space.IsWorkstations ? null : profile.Space.AreaM2,
        profile.Space.IsWorkstations ? profile.Space.Workstations : null,
        [.. ServiceCatalog.In(profile.WantedServices).Select(s => s.Code)],
        profile.PreferredDistricts,
        profile.Location?.Latitude,
        profile.Location?.Longitude,
        [.. profile.CarrierTypes.Select(t => t.Code())]);

    /// <summary>The profile again; a record that is not one this service wrote throws <see cref="FormatException"/>.</summary>
    public StartupProfile ToProfile()
    {
        if (!StartupStages.TryParse(Stage, out var stage) || !Industries.TryParse(Industry, out var industry))
        {
            throw new FormatException("The stored profile has an unknown stage or industry.");
        }
        var services = CarrierServices.None;
        foreach (var code in WantedServices)
        {
            services |= ServiceCatalog.TryParse(code, out var flag) ? flag : throw new FormatException("The stored profile has an unknown service.");
        }
        var types = CarrierTypes.Select(code => Domain.Catalog.CarrierTypes.TryParse(code, out var type) ? type
            : throw new FormatException("The stored profile has an unknown carrier type.")).ToList();
        return new StartupProfile
        {
            Stage = stage,
            RegisteredOn = RegisteredOn,
            Industry = industry,
            TeamSize = TeamSize,
            RdStaffSharePercent = RdStaffSharePercent,
            LastYearRevenueCny = LastYearRevenueCny,
            LastYearRdExpenseCny = LastYearRdExpenseCny,
            TotalAssetsCny = TotalAssetsCny,
            IntellectualProperty = IpClassI is null && IpClassII is null ? null : new IntellectualProperty(IpClassI ?? 0, IpClassII ?? 0),
            Space = Workstations is { } desks ? SpaceNeed.Desks(desks) : SpaceNeed.Area(AreaM2 ?? throw new FormatException("The stored profile has no space need.")),
            WantedServices = services,
            PreferredDistricts = PreferredDistricts,
            Location = Latitude is { } latitude && Longitude is { } longitude ? new GeoPoint(latitude, longitude) : null,
            CarrierTypes = types,
        };
    }
}
