using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Tests.Domain;

/// <summary>Valid defaults for domain objects; tests change what they are about with <c>with</c>.</summary>
internal static class Build
{
    public static readonly DateOnly Today = new(2026, 11, 22);

    public static District Xihu => HangzhouDistricts.Get("xihu");

    public static Carrier Carrier(string id, string district = "xihu") => new()
    {
        Id = id,
        Name = "测试孵化器" + id,
        Type = CarrierType.Incubator,
        Focus = CarrierFocus.Comprehensive,
        Tiers = [new TierAward(Tiers.Municipal.Code, "杭州市科学技术局", new DateOnly(2015, 6, 1))],
        DistrictCode = district,
        Address = "测试路1号",
        Location = HangzhouDistricts.Get(district).Centre,
        TotalAreaM2 = 5_000,
        FreeAreaM2 = 1_000,
        FreeWorkstations = 0,
        Industries = IndustrySet.Of(Industries.ArtificialIntelligence),
        Services = ServiceCatalog.Everything,
        TrackRecord = new TrackRecord(50, 20, 5, 400),
        EntryRules = [],
    };

    public static StartupProfile Profile() => new()
    {
        Stage = StartupStage.Yellow,
        RegisteredOn = Today.AddMonths(-6),
        Industry = Industries.ArtificialIntelligence,
        TeamSize = 5,
        RdStaffSharePercent = 40,
        LastYearRevenueCny = 0,
        LastYearRdExpenseCny = 100_000,
        Space = SpaceNeed.Area(100),
    };
}
