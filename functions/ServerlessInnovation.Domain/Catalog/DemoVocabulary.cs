namespace ServerlessInnovation.Domain.Catalog;

/// <summary>A place name a carrier can be named after, and the industry it is known for, if any (医药港: biomedicine).</summary>
internal sealed record DemoPlace(string Zh, Industry? Hint = null);

/// <summary>Everything the demo generator needs to know about one district: its names, streets, industries and issuers.</summary>
/// <param name="NamePrefix">Put before every carrier name ("城市017·" for synthetic cities, empty in Hangzhou).</param>
/// <param name="OptionalNamePrefixes">Sometimes put before a name ("杭州", "滨江").</param>
/// <param name="OperatorCity">The city in operators' company names ("杭州").</param>
/// <param name="Industries">Industries of the district, weighted; a carrier's focus is drawn from them.</param>
/// <param name="SpreadKm">Carriers lie within this distance of the district centre.</param>
internal sealed record DemoLocale(
    District District,
    string NamePrefix,
    IReadOnlyList<string> OptionalNamePrefixes,
    string OperatorCity,
    IReadOnlyList<DemoPlace> Places,
    IReadOnlyList<string> Streets,
    IReadOnlyList<(Industry Industry, int Weight)> Industries,
    double SpreadKm,
    string ProvincialBody,
    string MunicipalBody,
    string DistrictBody);

/// <summary>The words demo carriers are named from, and the Hangzhou places and streets they stand in.</summary>
internal static class DemoVocabulary
{
    /// <summary>Name words per industry, by <see cref="Industry.Bit"/>.</summary>
    private static readonly string[][] IndustryWords =
    [
        ["人工智能", "智能", "智慧"],
        ["生物医药", "医药", "生命健康", "医疗器械"],
        ["智能制造", "高端装备", "智造"],
        ["物联网", "信息技术", "电子信息", "5G"],
        ["新材料", "先进材料"],
        ["新能源", "绿色能源", "储能"],
        ["数字经济", "软件", "大数据", "云计算", "电商"],
        ["文创", "文化创意", "设计", "数字文化"],
        ["农业科技", "现代农业", "农创"],
        ["集成电路", "芯片"],
        ["节能环保", "环保科技", "绿色低碳"],
    ];

    /// <summary>Words for a carrier that takes every industry; the empty word leaves just place and suffix.</summary>
    public static readonly IReadOnlyList<(string Word, int Weight)> ComprehensiveWords =
    [
        ("", 30), ("科技", 10), ("创新", 10), ("青年创业", 8), ("海创", 6), ("留学人员创业", 5), ("大学生创业", 6), ("双创", 5),
        ("创业", 8), ("科创", 8),
    ];

    public static readonly IReadOnlyList<(string Suffix, int Weight)> IncubatorSuffixes =
    [
        ("孵化器", 30), ("科技企业孵化器", 20), ("创业园", 12), ("创新中心", 12), ("科技园", 10), ("孵化基地", 8), ("产业园", 8),
    ];

    public static readonly IReadOnlyList<(string Suffix, int Weight)> MakerSpaceSuffixes =
    [
        ("众创空间", 70), ("创客空间", 12), ("创客中心", 8), ("创业社区", 5), ("创新工场", 5),
    ];

    public static readonly IReadOnlyList<string> IncubatorOperatorWords =
        ["科技园管理", "孵化器管理", "创业服务", "科技发展", "企业管理", "创业投资管理", "产业园运营管理"];

    public static readonly IReadOnlyList<string> MakerSpaceOperatorWords =
        ["众创空间管理", "创业服务", "企业管理", "科技发展", "创客文化发展"];

    /// <summary>Place names for synthetic districts, some with the industry they suggest.</summary>
    public static readonly IReadOnlyList<DemoPlace> SyntheticPlaces = Places(
        "高新 经开 科技城 新城 东湖 南湖 北湖 江北 河西 城东 城南 大学城 科学城 创新港 空港 临港 高铁新城 湖畔 青年城 金桥 翠湖 云谷 " +
        "软件园:digital-economy 光谷:next-generation-it 智谷:ai 生物城:biomedicine 药谷:biomedicine 智造谷:advanced-manufacturing " +
        "文创园:cultural-creative 数字港:digital-economy 农科园:modern-agriculture 新能源城:new-energy 材料谷:new-materials " +
        "芯谷:integrated-circuits 环保园:energy-saving");

    public static readonly IReadOnlyList<string> SyntheticStreets = Words(
        "科技大道 创新路 学院路 文化路 人民路 建设路 高新大道 工业园路 湖滨路 解放路 长江路 黄河路 中山路 新华路 发展大道 创业路 青年路 " +
        "金融街 软件大道 光明路");

    /// <summary>The Hangzhou districts in the order of <see cref="HangzhouDistricts.All"/>.</summary>
    public static readonly IReadOnlyList<DemoLocale> Hangzhou =
    [
        HangzhouLocale("shangcheng", "上城", 6,
            "钱江 望江 玉皇山南:cultural-creative 钱江新城 四季青 笕桥 丁兰 九堡 湖滨 凯旋",
            "钱江路 解放东路 望江东路 复兴路 之江路 秋涛北路 凤起东路 新塘路 九环路 丁桥路 江锦路",
            (Industries.DigitalEconomy, 3), (Industries.CulturalCreative, 3), (Industries.NextGenerationIt, 2),
            (Industries.ArtificialIntelligence, 1), (Industries.Biomedicine, 1), (Industries.EnergySaving, 1)),
        HangzhouLocale("gongshu", "拱墅", 6,
            "运河:cultural-creative 半山 北部软件园:digital-economy 大关 祥符 康桥 武林 和睦 拱宸桥 智慧网谷:next-generation-it",
            "莫干山路 湖墅南路 丽水路 祥园路 石祥路 登云路 东新路 小河路 金华路 康桥路 舟山东路 大关路",
            (Industries.DigitalEconomy, 4), (Industries.NextGenerationIt, 3), (Industries.CulturalCreative, 2),
            (Industries.ArtificialIntelligence, 2), (Industries.AdvancedManufacturing, 1), (Industries.EnergySaving, 1)),
        HangzhouLocale("xihu", "西湖", 7,
            "紫金港 西溪 云栖:digital-economy 之江 转塘:cultural-creative 文三 黄龙 三墩 留下 双浦 艺创小镇:cultural-creative",
            "文一西路 文二西路 文三路 天目山路 古墩路 西斗门路 学院路 教工路 紫霞街 留和路 丰潭路 紫金港路 振华路",
            (Industries.ArtificialIntelligence, 3), (Industries.DigitalEconomy, 3), (Industries.NextGenerationIt, 2),
            (Industries.Biomedicine, 2), (Industries.CulturalCreative, 2), (Industries.NewMaterials, 1), (Industries.IntegratedCircuits, 1)),
        HangzhouLocale("binjiang", "滨江", 6,
            "高新 白马湖:cultural-creative 物联网街:next-generation-it 江南 长河 浦沿 西兴 奥体 互联网小镇:digital-economy",
            "江南大道 滨盛路 江虹路 网商路 物联网街 长河路 建业路 六和路 秋溢路 伟业路 聚才路 滨安路 江陵路 西兴路",
            (Industries.ArtificialIntelligence, 4), (Industries.NextGenerationIt, 4), (Industries.DigitalEconomy, 4),
            (Industries.IntegratedCircuits, 3), (Industries.Biomedicine, 1), (Industries.CulturalCreative, 1)),
        HangzhouLocale("xiaoshan", "萧山", 8,
            "湘湖 钱江世纪城 科技城 宁围 北干 空港 信息港:next-generation-it 机器人小镇:advanced-manufacturing 经开区",
            "市心北路 金城路 建设一路 风情大道 湘湖路 鸿宁路 宁东路 博奥路 通惠北路 育才北路 启迪路",
            (Industries.AdvancedManufacturing, 4), (Industries.NewMaterials, 2), (Industries.NextGenerationIt, 2),
            (Industries.DigitalEconomy, 2), (Industries.NewEnergy, 2), (Industries.Biomedicine, 1)),
        HangzhouLocale("yuhang", "余杭", 8,
            "未来科技城 梦想小镇 良渚:cultural-creative 仓前 五常 闲林 瓶窑 人工智能小镇:ai 海创园 径山",
            "文一西路 良睦路 海曙路 向往街 仓兴街 五常大道 龙潭路 爱橙街 高教路 文昌路 荆长大道",
            (Industries.ArtificialIntelligence, 4), (Industries.DigitalEconomy, 4), (Industries.NextGenerationIt, 2),
            (Industries.Biomedicine, 2), (Industries.CulturalCreative, 2), (Industries.IntegratedCircuits, 1)),
        HangzhouLocale("linping", "临平", 7,
            "艺尚小镇:cultural-creative 临平新城 东湖 崇贤 经开区 乔司 塘栖 星桥",
            "世纪大道 迎宾路 临平大道 藕花洲大街 红丰路 北沙路 超峰东路 望梅路 东湖北路 新丰路",
            (Industries.AdvancedManufacturing, 4), (Industries.CulturalCreative, 2), (Industries.NewMaterials, 2),
            (Industries.NextGenerationIt, 1), (Industries.EnergySaving, 1)),
        HangzhouLocale("qiantang", "钱塘", 8,
            "下沙 大创小镇 医药港:biomedicine 江东 前进 临江 白杨 河庄",
            "学源街 文泽路 福城路 下沙路 江东大道 青六中路 6号大街 2号大街 文渊北路 银海街",
            (Industries.Biomedicine, 6), (Industries.AdvancedManufacturing, 3), (Industries.IntegratedCircuits, 2),
            (Industries.NewMaterials, 2), (Industries.NewEnergy, 1)),
        HangzhouLocale("fuyang", "富阳", 10,
            "银湖 东洲 富春 鹿山 春江 新登",
            "金桥北路 公望路 江滨西大道 桂花西路 春秋北路 银湖街 高尔夫路",
            (Industries.AdvancedManufacturing, 3), (Industries.NewMaterials, 2), (Industries.EnergySaving, 2),
            (Industries.CulturalCreative, 1), (Industries.Biomedicine, 1)),
        HangzhouLocale("linan", "临安", 10,
            "青山湖 锦城 锦北 玲珑 於潜 太湖源:modern-agriculture",
            "钱王大街 衣锦街 大园路 科技大道 胜联路 城中街 锦城街 苕溪北路",
            (Industries.AdvancedManufacturing, 3), (Industries.NewMaterials, 2), (Industries.NextGenerationIt, 2),
            (Industries.ModernAgriculture, 2), (Industries.EnergySaving, 1)),
        HangzhouLocale("tonglu", "桐庐", 10,
            "富春江 桐君 凤川 城南 分水",
            "迎春南路 富春路 白云源路 康乐路 学圣路 瑶琳路",
            (Industries.ModernAgriculture, 2), (Industries.AdvancedManufacturing, 2), (Industries.CulturalCreative, 1),
            (Industries.EnergySaving, 1), (Industries.Biomedicine, 1)),
        HangzhouLocale("chunan", "淳安", 6,
            "千岛湖 坪山 汾口 石林",
            "新安东路 环湖北路 新安大街 开发路 阳光路",
            (Industries.ModernAgriculture, 4), (Industries.CulturalCreative, 2), (Industries.EnergySaving, 2)),
        HangzhouLocale("jiande", "建德", 10,
            "新安江 寿昌 梅城 洋溪 航空小镇:advanced-manufacturing",
            "新安路 严州大道 府前路 江滨中路 白沙路",
            (Industries.ModernAgriculture, 3), (Industries.NewMaterials, 2), (Industries.AdvancedManufacturing, 2),
            (Industries.EnergySaving, 1)),
    ];

    public static IReadOnlyList<string> WordsFor(Industry industry) => IndustryWords[industry.Bit];

    private static DemoLocale HangzhouLocale(
        string code, string shortName, double spreadKm, string places, string streets, params (Industry, int)[] industries)
    {
        var district = HangzhouDistricts.Get(code);
        return new DemoLocale(district, "", ["杭州", shortName], "杭州", Places(places), Words(streets), industries, spreadKm,
            Tiers.Provincial.DefaultIssuingBody.Zh, Tiers.Municipal.DefaultIssuingBody.Zh, district.Name.Zh + "科学技术局");
    }

    private static string[] Words(string words) => words.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Places written "name" or "name:industry-code".</summary>
    private static DemoPlace[] Places(string places) =>
    [
        .. Words(places).Select(entry =>
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return new DemoPlace(entry);
            }
            return Industries.TryParse(entry[(colon + 1)..], out var hint)
                ? new DemoPlace(entry[..colon], hint)
                : throw new InvalidOperationException($"Unknown industry in demo place '{entry}'.");
        }),
    ];
}
