using System.Text;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// One column of a bureau's carrier catalog spreadsheet: the Chinese header the template uses, the English name also
/// accepted, whether every row must fill it, and what it takes (shown in the template's instructions).
/// </summary>
public sealed record CatalogColumn(string Header, string EnglishName, bool Required, LocalizedText Format)
{
    /// <summary>How the template's instructions name it: <c>载体编号（id）</c>.</summary>
    public string Label => $"{Header}（{EnglishName}）";
}

/// <summary>The columns of the carrier catalog spreadsheet, in template order, and how a header cell is matched to one.</summary>
public static class CatalogColumns
{
    private const string CountFormatZh = "0–1,000,000 的整数，留空为 0";
    private const string CountFormatEn = "a whole number 0–1,000,000; empty means 0";

    public static readonly CatalogColumn Id = new("载体编号", "id", true, new(
        "小写字母 a–z、数字 0–9 和连字符 -，以字母或数字开头，最多 64 个字符，如 xihu-ai-park；同一载体每次上传须保持不变",
        "lowercase letters a–z, digits 0–9 and '-', starting with a letter or digit, at most 64 characters, e.g. xihu-ai-park; keep it the same for a carrier in every upload"));

    public static readonly CatalogColumn Name = new("载体名称", "name", true, new("1–100 个字符", "1–100 characters"));

    public static readonly CatalogColumn Type = new("载体类型", "type", true, new(
        "科技企业孵化器（可简写为 孵化器）或 众创空间；也可填 incubator、maker-space",
        "科技企业孵化器 (or 孵化器) or 众创空间; or incubator, maker-space"));

    public static readonly CatalogColumn Focus = new("孵化类型", "focus", true, new(
        "综合型（综合）或 专业型（专业）；也可填 comprehensive、specialised。专业型须填写重点产业",
        "综合型 (综合) or 专业型 (专业); or comprehensive, specialised. A specialised carrier must list its industries"));

    public static readonly CatalogColumn District = new("所在区县", "district", true, new(
        "杭州市区县名称或代码：" + string.Join("、", HangzhouDistricts.All.Select(d => $"{d.Name.Zh}（{d.Code}）")),
        "a Hangzhou district by Chinese name or code: " + string.Join(", ", HangzhouDistricts.All.Select(d => $"{d.Name.Zh} ({d.Code})"))));

    public static readonly CatalogColumn Address = new("地址", "address", true, new("1–200 个字符", "1–200 characters"));

    public static readonly CatalogColumn Latitude = new("纬度", "latitude", true, new(
        "WGS-84 十进制度数，18–54，如 30.2741", "WGS-84 decimal degrees, 18–54, e.g. 30.2741"));

    public static readonly CatalogColumn Longitude = new("经度", "longitude", true, new(
        "WGS-84 十进制度数，73–136，如 120.1551", "WGS-84 decimal degrees, 73–136, e.g. 120.1551"));

    public static readonly CatalogColumn TotalArea = new("总面积（平方米）", "totalAreaM2", true, new(
        "0–1,000,000 的数字，可带千位分隔符", "a number 0–1,000,000, thousands separators allowed"));

    public static readonly CatalogColumn FreeArea = new("可用面积（平方米）", "freeAreaM2", true, new(
        "0–1,000,000 的数字，不大于总面积", "a number 0–1,000,000, at most the total area"));

    public static readonly CatalogColumn FreeWorkstations = new("空余工位", "freeWorkstations", true, new(CountFormatZh, CountFormatEn));

    public static readonly CatalogColumn Industries = new("重点产业", "industries", false, new(
        "多项用逗号、顿号或分号分隔，可填名称或代码：" + string.Join("、", Domain.Catalog.Industries.All.Select(i => $"{i.Name.Zh}（{i.Code}）")) + "。专业型载体必填",
        "several separated by commas, 、 or semicolons, by name or code: " + Domain.Catalog.Industries.Codes + ". Required for a specialised carrier"));

    public static readonly CatalogColumn Services = new("孵化服务", "services", false, new(
        "多项用逗号、顿号或分号分隔，可填名称或代码：" + string.Join("、", ServiceCatalog.All.Select(s => $"{s.Name.Zh}（{s.Code}）")),
        "several separated by commas, 、 or semicolons, by name or code: " + ServiceCatalog.Codes));

    public static readonly CatalogColumn Operator = new("运营主体", "operator", false, new("最多 100 个字符", "at most 100 characters"));

    public static readonly CatalogColumn TierLevel = new("认定级别", "tierLevel", false, new(
        "名称或代码：" + string.Join("、", Tiers.All.Select(t => $"{t.Name.Zh}（{t.Code}）")) + "；留空表示未获认定",
        "by name or code: " + Tiers.Codes + "; empty if not recognised"));

    public static readonly CatalogColumn TierIssuingBody = new("认定单位", "tierIssuingBody", false, new(
        "最多 100 个字符；留空则为该级别的通常认定单位，如 国家级 为 科学技术部",
        "at most 100 characters; empty means the level's usual issuing body, e.g. 科学技术部 for national"));

    public static readonly CatalogColumn TierAwardedOn = new("认定日期", "tierAwardedOn", false, new(
        "日期，如 2023-06-01、2023/6/1 或 2023年6月1日；填写认定级别时必填",
        "a date such as 2023-06-01, 2023/6/1 or 2023年6月1日; required when a level is given"));

    public static readonly CatalogColumn TierValidUntil = new("有效期至", "tierValidUntil", false, new(
        "日期，不早于认定日期；留空表示长期有效", "a date not before the award date; empty means no end date"));

    public static readonly CatalogColumn EnterprisesInIncubation = new("在孵企业数", "enterprisesInIncubation", false, new(CountFormatZh, CountFormatEn));
    public static readonly CatalogColumn Graduated = new("累计毕业企业数", "graduated", false, new(CountFormatZh, CountFormatEn));
    public static readonly CatalogColumn HighTechEnterprises = new("高新技术企业数", "highTechEnterprises", false, new(CountFormatZh, CountFormatEn));
    public static readonly CatalogColumn Jobs = new("吸纳就业人数", "jobs", false, new(CountFormatZh, CountFormatEn));

    public static readonly CatalogColumn MaxCompanyAgeMonths = new("入孵企业成立年限上限（月）", "maxCompanyAgeMonths", false, new(
        "1–240 的整数；留空为不限", "a whole number 1–240; empty means no limit"));

    public static readonly CatalogColumn MaxLastYearRevenueCny = new("上年度营收上限（元）", "maxLastYearRevenueCny", false, new(
        "0–10,000,000,000 的整数（元），可带千位分隔符；留空为不限", "a whole number of yuan 0–10,000,000,000, thousands separators allowed; empty means no limit"));

    public static readonly CatalogColumn TechSmeRequired = new("须为科技型中小企业", "techSmeRequired", false, new(
        "是 或 否（也可填 yes/no、true/false、1/0）；留空为否", "是 or 否 (or yes/no, true/false, 1/0); empty means no"));

    public static readonly CatalogColumn MinRdStaffSharePercent = new("研发人员占比下限（%）", "minRdStaffSharePercent", false, new(
        "1–100 的整数，可带 %；留空为不限", "a whole number 1–100, '%' allowed; empty means no limit"));

    public static readonly CatalogColumn MinStage = new("最低发展阶段", "minStage", false, new(
        "三色创业档案阶段：" + string.Join("、", StartupStages.All.Select(s => $"{s.Name().Zh}（{s.Code()}）")) + "，可简写为 绿色、黄色、红色；留空为不限",
        "a stage of the three-colour archive: " + string.Join(", ", StartupStages.All.Select(s => s.Code())) + " (or 绿色, 黄色, 红色); empty means no limit"));

    public static readonly IReadOnlyList<CatalogColumn> All =
    [
        Id, Name, Type, Focus, District, Address, Latitude, Longitude, TotalArea, FreeArea, FreeWorkstations,
        Industries, Services, Operator, TierLevel, TierIssuingBody, TierAwardedOn, TierValidUntil,
        EnterprisesInIncubation, Graduated, HighTechEnterprises, Jobs,
        MaxCompanyAgeMonths, MaxLastYearRevenueCny, TechSmeRequired, MinRdStaffSharePercent, MinStage,
    ];

    private static readonly Dictionary<string, CatalogColumn> ByKey = BuildKeys();

    /// <summary>
    /// The column a header cell names, by Chinese header or English name, ignoring case, surrounding spaces, full-width
    /// forms, spaces, underscores and hyphens, and a '*' marking a required column; null for an unknown header.
    /// </summary>
    public static CatalogColumn? Find(string? header) =>
        header is not null && ByKey.TryGetValue(Key(header), out var column) ? column : null;

    /// <summary>
    /// The form in which headers and coded values are compared: full-width letters, digits and punctuation folded to
    /// ASCII, lower case, without spaces, '_', '-' or '*'.
    /// </summary>
    internal static string Key(string text)
    {
        var key = new StringBuilder(text.Length);
        foreach (var c in FoldWidth(text))
        {
            if (c is not (' ' or '_' or '-' or '*') && !char.IsWhiteSpace(c))
            {
                key.Append(char.ToLowerInvariant(c));
            }
        }
        return key.ToString();
    }

    /// <summary>Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space as their ASCII counterparts.</summary>
    internal static string FoldWidth(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uFF01', '\uFF5E') && !text.Contains('\u3000', StringComparison.Ordinal))
        {
            return text;
        }
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                    '\u3000' => ' ',
                    _ => c,
                };
            }
        });
    }

    private static Dictionary<string, CatalogColumn> BuildKeys()
    {
        var keys = new Dictionary<string, CatalogColumn>(StringComparer.Ordinal);
        foreach (var column in All)
        {
            keys.Add(Key(column.Header), column);
            keys.Add(Key(column.EnglishName), column);
        }
        return keys;
    }
}
