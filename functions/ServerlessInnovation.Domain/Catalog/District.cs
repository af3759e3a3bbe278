namespace ServerlessInnovation.Domain.Catalog;

/// <summary>A district or county: the unit of jurisdiction of a district bureau and of a startup's preferences.</summary>
/// <param name="Code">Stable code, unique across the catalog; also the carrier's table partition.</param>
/// <param name="CityCode">The city the district belongs to.</param>
public sealed record District(string Code, LocalizedText Name, string CityCode, LocalizedText CityName, GeoPoint Centre);

/// <summary>The 13 districts, counties and county-level cities of Hangzhou (杭州市).</summary>
public static class HangzhouDistricts
{
    public const string CityCode = "hangzhou";
    public static readonly LocalizedText CityName = new("杭州市", "Hangzhou");

    public static readonly IReadOnlyList<District> All =
    [
        Create("shangcheng", "上城区", "Shangcheng District", 30.2425, 120.1694),
        Create("gongshu", "拱墅区", "Gongshu District", 30.3199, 120.1419),
        Create("xihu", "西湖区", "Xihu District", 30.2595, 120.1300),
        Create("binjiang", "滨江区", "Binjiang District", 30.2083, 120.2113),
        Create("xiaoshan", "萧山区", "Xiaoshan District", 30.1850, 120.2645),
        Create("yuhang", "余杭区", "Yuhang District", 30.2740, 119.9790),
        Create("linping", "临平区", "Linping District", 30.4190, 120.2990),
        Create("qiantang", "钱塘区", "Qiantang District", 30.3225, 120.4932),
        Create("fuyang", "富阳区", "Fuyang District", 30.0490, 119.9600),
        Create("linan", "临安区", "Lin'an District", 30.2338, 119.7247),
        Create("tonglu", "桐庐县", "Tonglu County", 29.7979, 119.6915),
        Create("chunan", "淳安县", "Chun'an County", 29.6090, 119.0420),
        Create("jiande", "建德市", "Jiande City", 29.4746, 119.2816),
    ];

    public static District Get(string code) =>
        All.FirstOrDefault(d => d.Code == code) ?? throw new ArgumentException($"Unknown Hangzhou district '{code}'.", nameof(code));

    private static District Create(string code, string zh, string en, double latitude, double longitude) =>
        new(code, new(zh, en), CityCode, CityName, new GeoPoint(latitude, longitude));
}
