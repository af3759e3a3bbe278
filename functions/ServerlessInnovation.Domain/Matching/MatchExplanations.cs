using System.Globalization;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Matching;

/// <summary>The words that explain scores and exclusions, in zh-CN and en.</summary>
internal static class MatchExplanations
{
    public const string TypeNotWanted = "type-not-wanted";
    public const string NoVacancy = "no-vacancy";
    public const string OutsideFocus = "industry-outside-focus";

    public static LocalizedText TypeNotWantedText { get; } = new("不是您要找的载体类型", "Not the type of carrier you are looking for");

    public static LocalizedText NoVacancyText(SpaceNeed need) => need.IsWorkstations
        ? new($"空余空间不足{need.Workstations}个工位", $"Not enough free space for {need.Workstations} workstations")
        : new($"空余面积不足{Number(need.AreaM2)}平方米", $"Less than {Number(need.AreaM2)} m² free");

    public static LocalizedText OutsideFocusText(Industry industry) =>
        new($"专业型载体，不接收{industry.Name.Zh}企业", $"Specialised carrier that does not take {InSentence(industry.Name.En)} startups");

    public static LocalizedText Industry(double value, Carrier carrier, Industry industry)
    {
        if (value >= Scoring.ExactIndustryFit)
        {
            return new($"专注{industry.Name.Zh}领域", $"Focuses on {InSentence(industry.Name.En)}");
        }
        if (value >= Scoring.RelatedIndustryFit)
        {
            var related = carrier.Industries.Members.Where(i => Industries.RelatedTo(industry).Contains(i)).ToList();
            return new($"专注相关领域：{string.Join("、", related.Select(i => i.Name.Zh))}",
                $"Focuses on a related field: {string.Join(", ", related.Select(i => InSentence(i.Name.En)))}");
        }
        return new("综合型载体，接收各行业企业", "Comprehensive carrier open to all industries");
    }

    public static LocalizedText Proximity(StartupProfile profile, District district, double? distanceKm, bool inPreferredDistrict)
    {
        if (inPreferredDistrict)
        {
            return new($"位于您首选的{district.Name.Zh}", $"In {district.Name.En}, one of your preferred districts");
        }
        if (distanceKm is { } km)
        {
            return new($"距您约{Number(km, 1)}公里", $"About {Number(km, 1)} km from you");
        }
        if (profile.PreferredDistricts.Count > 0)
        {
            return new($"位于{district.Name.Zh}，不在您首选的区县", $"In {district.Name.En}, not one of your preferred districts");
        }
        return new("您未指定位置偏好", "You stated no location preference");
    }

    public static LocalizedText Services(Carrier carrier, CarrierServices wanted)
    {
        if (wanted == CarrierServices.None)
        {
            return new("您未指定所需服务", "You asked for no particular service");
        }
        var offered = ServiceCatalog.In(wanted & carrier.Services).ToList();
        var missing = ServiceCatalog.In(wanted & ~carrier.Services).ToList();
        var total = offered.Count + missing.Count;
        var zh = offered.Count == 0 ? "不提供您需要的服务" : $"提供您需要的{offered.Count}/{total}项服务：{string.Join("、", offered.Select(s => s.Name.Zh))}";
        var en = offered.Count == 0 ? "Offers none of the services you want" : $"Offers {offered.Count} of the {total} services you want: {string.Join(", ", offered.Select(s => InSentence(s.Name.En)))}";
        if (missing.Count > 0 && offered.Count > 0)
        {
            zh += $"；缺少：{string.Join("、", missing.Select(s => s.Name.Zh))}";
            en += $"; missing: {string.Join(", ", missing.Select(s => InSentence(s.Name.En)))}";
        }
        return new(zh, en);
    }

    public static LocalizedText Vacancy(Carrier carrier, SpaceNeed need) => need.IsWorkstations && carrier.FreeWorkstations >= need.Workstations
        ? new($"空余工位{carrier.FreeWorkstations}个，可满足您{need.Workstations}个工位的需求",
            $"{carrier.FreeWorkstations} free workstations for the {need.Workstations} you need")
        : new($"空余面积{Number(carrier.FreeAreaM2)}平方米，可满足您{(need.IsWorkstations ? $"{need.Workstations}个工位" : $"{Number(need.AreaM2)}平方米")}的需求",
            $"{Number(carrier.FreeAreaM2)} m² free for the {(need.IsWorkstations ? $"{need.Workstations} workstations" : $"{Number(need.AreaM2)} m²")} you need");

    public static LocalizedText Tier(TierLevel? tier, CarrierType type) => tier is null
        ? new("暂无认定级别", "No recognised tier yet")
        : new($"{tier.Name.Zh}{type.Name().Zh}", $"{tier.Name.En} {type.Name().En.ToLowerInvariant()}");

    public static LocalizedText TrackRecord(TrackRecord record) => new(
        $"已毕业企业{record.Graduated}家，培育高新技术企业{record.HighTechEnterprises}家，在孵企业{record.EnterprisesInIncubation}家",
        $"{record.Graduated} graduated, {record.HighTechEnterprises} high-tech enterprises cultivated, {record.EnterprisesInIncubation} in incubation");

    public static LocalizedText TechSmePending(TechSmeAssessment assessment) => assessment.Status == TechSmeStatus.NotApplicable
        ? new("该载体要求科技型中小企业条件：注册后需通过评价", "This carrier requires the tech-based SME test: pass it after registering")
        : new("该载体要求科技型中小企业条件：请补充研发投入以完成评价", "This carrier requires the tech-based SME test: add your R&D expense to be assessed");

    /// <summary>A name inside an English sentence: "Artificial intelligence" → "artificial intelligence", but "IP, legal…" stays.</summary>
    private static string InSentence(string name) =>
        name.Length > 1 && char.IsUpper(name[0]) && char.IsLower(name[1]) ? char.ToLowerInvariant(name[0]) + name[1..] : name;

    private static string Number(double value, int decimals = 0) =>
        value.ToString(decimals == 0 ? "#,0" : "#,0.0", CultureInfo.InvariantCulture);
}
