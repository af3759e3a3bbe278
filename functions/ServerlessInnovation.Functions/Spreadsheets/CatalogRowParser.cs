using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>Turns one data row into a carrier, or into one <see cref="RowError"/> per bad cell (all of them, not the first).</summary>
internal sealed partial class CatalogRowParser(SheetRow row, int[] columnIndex, string[] columnHeader, bool uses1904DateSystem)
{
    private const int MaxNameLength = 100;
    private const int MaxAddressLength = 200;
    private const int MaxOperatorLength = 100;
    private const int MaxIssuingBodyLength = 100;
    private const int MaxCount = 1_000_000;
    private const double MaxArea = 1_000_000;
    private const int MaxQuotedValue = 40;
    private const int FirstYear = 1950;
    private const int LastYear = 2100;

    // Excel's serial dates (1900 system): day 1 is 1900-01-01, the last is 9999-12-31.
    private const double MaxSerialDate = 2_958_465;
    private const int Date1904Offset = 1_462;

    private static readonly string[] DateFormats = ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日"];

    private readonly List<RowError> _errors = [];

    public CatalogRow Parse()
    {
        var id = Id();
        var name = Text(CatalogColumns.Name, MaxNameLength, required: true);
        TryChoice(CatalogColumns.Type, Vocabulary.Types, out var type, required: true);
        var specialised = TryChoice(CatalogColumns.Focus, Vocabulary.Focuses, out var focus, required: true) && focus == CarrierFocus.Specialised;
        TryChoice(CatalogColumns.District, Vocabulary.Districts, out var district, required: true);
        var address = Text(CatalogColumns.Address, MaxAddressLength, required: true);
        var location = Location();
        var totalArea = InRange(CatalogColumns.TotalArea, Decimal(CatalogColumns.TotalArea, required: true), 0, MaxArea);
        var freeArea = InRange(CatalogColumns.FreeArea, Decimal(CatalogColumns.FreeArea, required: true), 0, MaxArea);
        var freeWorkstations = Count(CatalogColumns.FreeWorkstations, required: true);
        var industries = List(CatalogColumns.Industries, Vocabulary.Industries);
        var services = List(CatalogColumns.Services, Vocabulary.Services);
        var operatorName = Text(CatalogColumns.Operator, MaxOperatorLength, required: false);
        var tiers = Tiers();
        var trackRecord = new TrackRecord(
            Count(CatalogColumns.EnterprisesInIncubation) ?? 0, Count(CatalogColumns.Graduated) ?? 0, Count(CatalogColumns.HighTechEnterprises) ?? 0, Count(CatalogColumns.Jobs) ?? 0);
        var rules = EntryRules();

        if (freeArea > totalArea)
        {
            Add(CatalogColumns.FreeArea, RowErrorCodes.FreeAreaExceedsTotal, new(
                $"可用面积 {freeArea:#,0.##} 大于总面积 {totalArea:#,0.##}",
                $"free area {freeArea:#,0.##} exceeds the total area {totalArea:#,0.##}"));
        }
        if (specialised && industries is { IsEmpty: true } && !HasError(CatalogColumns.Industries))
        {
            Add(CatalogColumns.Industries, RowErrorCodes.IndustriesRequired, new(
                "专业型载体须填写至少一个重点产业", "a specialised carrier must list at least one focus industry"));
        }

        if (_errors.Count > 0)
        {
            return new CatalogRow(row.Number, null, _errors);
        }
        var carrier = new Carrier
        {
            Id = id!,
            Name = name!,
            Type = type,
            Focus = focus,
            Tiers = tiers,
            DistrictCode = district!.Code,
            Address = address!,
            Location = location!.Value,
            TotalAreaM2 = totalArea!.Value,
            FreeAreaM2 = freeArea!.Value,
            FreeWorkstations = freeWorkstations!.Value,
            Industries = industries ?? IndustrySet.Empty,
            Services = services ?? CarrierServices.None,
            TrackRecord = trackRecord,
            EntryRules = rules,
            Operator = operatorName,
        };
        return new CatalogRow(row.Number, carrier, []);
    }

    private string? Id()
    {
        if (Read(CatalogColumns.Id, required: true) is not { } text)
        {
            return null;
        }
        if (Carrier.IsValidId(text))
        {
            return text;
        }
        var lower = text.ToLowerInvariant();
        var (hintZh, hintEn) = Carrier.IsValidId(lower) ? ($"（不能含大写字母，可改为 {lower}）", $" (no capitals: perhaps {lower})") : ("", "");
        Add(CatalogColumns.Id, RowErrorCodes.InvalidId, new(
            $"载体编号“{Quote(text)}”无效{hintZh}：{CatalogColumns.Id.Format.Zh}",
            $"the id \"{Quote(text)}\" is invalid{hintEn}: {CatalogColumns.Id.Format.En}"));
        return null;
    }

    /// <summary>Text for a name, address, operator or issuing body: bounded, and never something a spreadsheet would run.</summary>
    private string? Text(CatalogColumn column, int maxLength, bool required)
    {
        if (Read(column, required) is not { } text)
        {
            return null;
        }
        if (text.Length > maxLength)
        {
            Add(column, RowErrorCodes.TooLong, new($"超过 {maxLength} 个字符（现有 {text.Length} 个）", $"longer than {maxLength} characters ({text.Length})"));
            return null;
        }
        if (text[0] is '=' or '+' or '-' or '@')
        {
            Add(column, RowErrorCodes.FormulaLike, new(
                $"“{Quote(text)}”以 {text[0]} 开头，会被表格软件当作公式执行，请去掉开头的符号",
                $"\"{Quote(text)}\" starts with {text[0]}, which spreadsheet programs run as a formula; remove the leading sign"));
            return null;
        }
        return text;
    }

    /// <summary>A value from a fixed list; false when the cell is empty or bad (bad ones are reported).</summary>
    private bool TryChoice<T>(CatalogColumn column, IReadOnlyDictionary<string, T> choices, out T value, bool required = false)
    {
        value = default!;
        if (Read(column, required) is not { } text)
        {
            return false;
        }
        if (choices.TryGetValue(CatalogColumns.Key(text), out value!))
        {
            return true;
        }
        Add(column, RowErrorCodes.UnknownValue, new($"无法识别“{Quote(text)}”：{column.Format.Zh}", $"\"{Quote(text)}\" is not recognised: {column.Format.En}"));
        return false;
    }

    /// <summary>Several values from a fixed list in one cell, as a bit set; null when the cell is bad.</summary>
    private TSet? List<TSet>(CatalogColumn column, Vocabulary.Set<TSet> vocabulary)
        where TSet : struct
    {
        if (Read(column, required: false) is not { } text)
        {
            return vocabulary.Empty;
        }
        var set = vocabulary.Empty;
        var unknown = new List<string>();
        foreach (var item in CatalogColumns.FoldWidth(text).Split([',', ';', '、', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (vocabulary.Items.TryGetValue(CatalogColumns.Key(item), out var member))
            {
                set = vocabulary.Union(set, member);
            }
            else
            {
                unknown.Add(Quote(item));
            }
        }
        if (unknown.Count > 0)
        {
            Add(column, RowErrorCodes.UnknownValue, new(
                $"无法识别：{string.Join("、", unknown.Select(u => $"“{u}”"))}。{column.Format.Zh}",
                $"not recognised: {string.Join(", ", unknown.Select(u => $"\"{u}\""))}. {column.Format.En}"));
            return null;
        }
        return set;
    }

    private GeoPoint? Location()
    {
        var latitude = Decimal(CatalogColumns.Latitude, required: true);
        var longitude = Decimal(CatalogColumns.Longitude, required: true);
        var swapped = latitude is >= 73 and <= 136 && longitude is >= 18 and <= 54;
        var lat = InRange(CatalogColumns.Latitude, latitude, 18, 54, swapped);
        var lon = InRange(CatalogColumns.Longitude, longitude, 73, 136, swapped);
        return lat is { } a && lon is { } b ? new GeoPoint(a, b) : null;
    }

    private double? InRange(CatalogColumn column, decimal? value, double min, double max, bool swapped = false)
    {
        if (value is not { } v)
        {
            return null;
        }
        if ((double)v < min || (double)v > max)
        {
            var (hintZh, hintEn) = swapped ? ("（纬度与经度可能填反了）", " (latitude and longitude may be swapped)") : ("", "");
            Add(column, RowErrorCodes.OutOfRange, new($"{v} 超出范围{hintZh}：{column.Format.Zh}", $"{v} is out of range{hintEn}: {column.Format.En}"));
            return null;
        }
        return (double)v;
    }

    private int? Count(CatalogColumn column, bool required = false)
    {
        if (Integer(column, required) is not { } value)
        {
            return null;
        }
        if (value is < 0 or > MaxCount)
        {
            Add(column, RowErrorCodes.OutOfRange, new($"{value} 超出范围：{column.Format.Zh}", $"{value} is out of range: {column.Format.En}"));
            return null;
        }
        return (int)value;
    }

    private long? Integer(CatalogColumn column, bool required = false, bool percent = false)
    {
        if (Decimal(column, required, percent) is not { } value)
        {
            return null;
        }
        if (value != decimal.Truncate(value) || value is < long.MinValue or > long.MaxValue)
        {
            Add(column, RowErrorCodes.NotAnInteger, new($"{value} 不是整数：{column.Format.Zh}", $"{value} is not a whole number: {column.Format.En}"));
            return null;
        }
        return (long)value;
    }

    /// <summary>A number: an XLSX number as stored, or text with optional thousands separators (and '%' where a percentage is meant).</summary>
    private decimal? Decimal(CatalogColumn column, bool required = false, bool percent = false)
    {
        if (Read(column, required, out var kind) is not { } text)
        {
            return null;
        }
        if (kind == SheetCellKind.Number)
        {
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
        }
        else
        {
            var plain = CatalogColumns.FoldWidth(text).Trim();
            if (percent && plain.EndsWith('%'))
            {
                plain = plain[..^1].TrimEnd();
            }
            if (PlainNumber().IsMatch(plain) &&
                decimal.TryParse(plain.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
        }
        Add(column, RowErrorCodes.NotANumber, new($"“{Quote(text)}”不是数字：{column.Format.Zh}", $"\"{Quote(text)}\" is not a number: {column.Format.En}"));
        return null;
    }

    private DateOnly? Date(CatalogColumn column)
    {
        if (Read(column, required: false, out var kind) is not { } text)
        {
            return null;
        }
        DateOnly? date = null;
        if (kind == SheetCellKind.Number)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and <= MaxSerialDate)
            {
                var day = Math.Floor(serial) + (uses1904DateSystem ? Date1904Offset : 0);
                date = DateOnly.FromDateTime(DateTime.FromOADate(Math.Min(day, MaxSerialDate)));
            }
        }
        else
        {
            var plain = CatalogColumns.FoldWidth(text);
            // An ISO date-time (an XLSX 'd' cell) keeps its date.
            if (plain.Length > 10 && plain[10] == 'T')
            {
                plain = plain[..10];
            }
            if (DateOnly.TryParseExact(plain, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                date = parsed;
            }
        }
        if (date is not { } value)
        {
            Add(column, RowErrorCodes.NotADate, new($"“{Quote(text)}”不是日期：{column.Format.Zh}", $"\"{Quote(text)}\" is not a date: {column.Format.En}"));
            return null;
        }
        if (value.Year is < FirstYear or > LastYear)
        {
            Add(column, RowErrorCodes.OutOfRange, new(
                $"日期 {value:yyyy-MM-dd} 不在 {FirstYear}–{LastYear} 年之间", $"the date {value:yyyy-MM-dd} is not between {FirstYear} and {LastYear}"));
            return null;
        }
        return value;
    }

    private List<TierAward> Tiers()
    {
        TryChoice(CatalogColumns.TierLevel, Vocabulary.TierLevels, out var level);
        var issuer = Text(CatalogColumns.TierIssuingBody, MaxIssuingBodyLength, required: false);
        var awardedOn = Date(CatalogColumns.TierAwardedOn);
        var validUntil = Date(CatalogColumns.TierValidUntil);
        if (level is null)
        {
            if (!HasError(CatalogColumns.TierLevel) && (Present(CatalogColumns.TierIssuingBody) || Present(CatalogColumns.TierAwardedOn) || Present(CatalogColumns.TierValidUntil)))
            {
                Add(CatalogColumns.TierLevel, RowErrorCodes.TierLevelRequired, new(
                    "填写了认定单位或日期，但没有填写认定级别", "an issuing body or date is given without a tier level"));
            }
            return [];
        }
        if (awardedOn is null)
        {
            if (!HasError(CatalogColumns.TierAwardedOn))
            {
                Add(CatalogColumns.TierAwardedOn, RowErrorCodes.Required, new("填写认定级别时，认定日期必填", "the award date is required when a tier level is given"));
            }
            return [];
        }
        if (validUntil < awardedOn)
        {
            Add(CatalogColumns.TierValidUntil, RowErrorCodes.DateOrder, new(
                $"有效期至 {validUntil:yyyy-MM-dd} 早于认定日期 {awardedOn:yyyy-MM-dd}",
                $"valid until {validUntil:yyyy-MM-dd} is before the award date {awardedOn:yyyy-MM-dd}"));
            return [];
        }
        return HasError(CatalogColumns.TierIssuingBody) || HasError(CatalogColumns.TierValidUntil)
            ? []
            : [new TierAward(level.Code, issuer ?? level.DefaultIssuingBody.Zh, awardedOn.Value, validUntil)];
    }

    private List<EntryRule> EntryRules()
    {
        var rules = new List<EntryRule>();
        Rule(CatalogColumns.MaxCompanyAgeMonths, EntryRuleKind.MaxCompanyAgeMonths, Integer(CatalogColumns.MaxCompanyAgeMonths));
        Rule(CatalogColumns.MaxLastYearRevenueCny, EntryRuleKind.MaxLastYearRevenueCny, Integer(CatalogColumns.MaxLastYearRevenueCny));
        if (TryChoice(CatalogColumns.TechSmeRequired, Vocabulary.YesNo, out var techSme) && techSme)
        {
            rules.Add(EntryRule.TechSme());
        }
        Rule(CatalogColumns.MinRdStaffSharePercent, EntryRuleKind.MinRdStaffSharePercent, Integer(CatalogColumns.MinRdStaffSharePercent, percent: true));
        if (TryChoice(CatalogColumns.MinStage, Vocabulary.Stages, out var stage))
        {
            rules.Add(EntryRule.MinStage(stage));
        }
        return rules;

        void Rule(CatalogColumn column, EntryRuleKind kind, long? value)
        {
            if (value is null)
            {
                return;
            }
            var rule = new EntryRule(kind, value.Value);
            if (rule.IsValid)
            {
                rules.Add(rule);
            }
            else
            {
                Add(column, RowErrorCodes.OutOfRange, new($"{value} 超出范围：{column.Format.Zh}", $"{value} is out of range: {column.Format.En}"));
            }
        }
    }

    private string? Read(CatalogColumn column, bool required) => Read(column, required, out _);

    /// <summary>
    /// The trimmed text of a cell, or null when it is empty (an error if <paramref name="required"/>) or unusable: a
    /// formula, an Excel error value, or text with control characters (each reported here).
    /// </summary>
    private string? Read(CatalogColumn column, bool required, out SheetCellKind kind)
    {
        var cell = Cell(column);
        kind = cell.Kind;
        if (cell.Kind == SheetCellKind.Formula)
        {
            Add(column, RowErrorCodes.Formula, new("公式单元格，请粘贴为数值", "formula cell; paste values instead"));
            return null;
        }
        if (cell.Kind == SheetCellKind.Error)
        {
            Add(column, RowErrorCodes.ErrorValue, new($"单元格为错误值 {Quote(cell.Value ?? "")}，请填写实际内容", $"the cell holds the error value {Quote(cell.Value ?? "")}; enter the actual value"));
            return null;
        }
        var text = cell.Value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                Add(column, RowErrorCodes.Required, new("必填", "required"));
            }
            return null;
        }
        if (text.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || text.AsSpan().ContainsAnyInRange('\u007F', '\u009F'))
        {
            Add(column, RowErrorCodes.ControlCharacter, new("含有换行、制表符等控制字符，请删除", "contains control characters such as line breaks or tabs; remove them"));
            return null;
        }
        return text;
    }

    private SheetCell Cell(CatalogColumn column) =>
        columnIndex[CatalogRowReader.IndexOf(column)] is var index and >= 0 ? row[index] : SheetCell.Empty;

    private bool Present(CatalogColumn column) => !Cell(column).IsBlank;

    private bool HasError(CatalogColumn column)
    {
        var header = columnHeader[CatalogRowReader.IndexOf(column)];
        return _errors.Exists(e => e.Column == header);
    }

    private void Add(CatalogColumn column, string code, LocalizedText message) =>
        _errors.Add(new RowError(row.Number, columnHeader[CatalogRowReader.IndexOf(column)], code, message));

    private static string Quote(string text) => text.Length <= MaxQuotedValue ? text : text[..MaxQuotedValue] + "…";

    [GeneratedRegex(@"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    /// <summary>The values a coded cell accepts, keyed by <see cref="CatalogColumns.Key"/>: Chinese names, codes and English names.</summary>
    internal static class Vocabulary
    {
        public static readonly IReadOnlyDictionary<string, CarrierType> Types = Build<CarrierType>(add =>
        {
            foreach (var type in CarrierTypes.All)
            {
                add(type.Code(), type);
                add(type.Name().Zh, type);
                add(type.Name().En, type);
            }
            add("孵化器", CarrierType.Incubator);
        });

        public static readonly IReadOnlyDictionary<string, CarrierFocus> Focuses = Build<CarrierFocus>(add =>
        {
            foreach (var focus in (CarrierFocus[])[CarrierFocus.Comprehensive, CarrierFocus.Specialised])
            {
                add(focus.Code(), focus);
                add(focus.Name().Zh, focus);
                add(focus.Name().En, focus);
            }
            add("综合", CarrierFocus.Comprehensive);
            add("专业", CarrierFocus.Specialised);
            add("specialized", CarrierFocus.Specialised);
        });

        public static readonly IReadOnlyDictionary<string, District> Districts = Build<District>(add =>
        {
            foreach (var district in HangzhouDistricts.All)
            {
                add(district.Code, district);
                add(district.Name.Zh, district);
                add(district.Name.En, district);
            }
        });

        public static readonly IReadOnlyDictionary<string, TierLevel> TierLevels = Build<TierLevel>(add =>
        {
            foreach (var level in Domain.Catalog.Tiers.All)
            {
                add(level.Code, level);
                add(level.Name.Zh, level);
                add(level.Name.En, level);
            }
            add("区级", Domain.Catalog.Tiers.District);
            add("县级", Domain.Catalog.Tiers.District);
            add("区县级", Domain.Catalog.Tiers.District);
        });

        public static readonly IReadOnlyDictionary<string, StartupStage> Stages = Build<StartupStage>(add =>
        {
            foreach (var stage in StartupStages.All)
            {
                add(stage.Code(), stage);
                add(stage.Name().Zh, stage);
                add(stage.Name().Zh[..2], stage);
                add(stage.Name().Zh[..1], stage);
            }
        });

        public static readonly IReadOnlyDictionary<string, bool> YesNo = Build<bool>(add =>
        {
            foreach (var yes in (string[])["是", "yes", "y", "true", "1"])
            {
                add(yes, true);
            }
            foreach (var no in (string[])["否", "no", "n", "false", "0"])
            {
                add(no, false);
            }
        });

        public static readonly Set<IndustrySet> Industries = new(
            Build<IndustrySet>(add =>
            {
                foreach (var industry in Domain.Catalog.Industries.All)
                {
                    add(industry.Code, IndustrySet.Of(industry));
                    add(industry.Name.Zh, IndustrySet.Of(industry));
                    add(industry.Name.En, IndustrySet.Of(industry));
                }
            }),
            IndustrySet.Empty,
            static (a, b) => new IndustrySet(a.Mask | b.Mask));

        public static readonly Set<CarrierServices> Services = new(
            Build<CarrierServices>(add =>
            {
                foreach (var service in ServiceCatalog.All)
                {
                    add(service.Code, service.Flag);
                    add(service.Name.Zh, service.Flag);
                    add(service.Name.En, service.Flag);
                }
            }),
            CarrierServices.None,
            static (a, b) => a | b);

        /// <summary>The members of a multi-valued column, and how to combine them.</summary>
        internal sealed record Set<T>(IReadOnlyDictionary<string, T> Items, T Empty, Func<T, T, T> Union);

        private static Dictionary<string, T> Build<T>(Action<Action<string, T>> fill)
        {
            var map = new Dictionary<string, T>(StringComparer.Ordinal);
            fill((alias, value) =>
            {
                var key = CatalogColumns.Key(alias);
                if (map.TryGetValue(key, out var existing) && !EqualityComparer<T>.Default.Equals(existing, value))
                {
                    throw new InvalidOperationException($"The alias '{alias}' names two values.");
                }
                map[key] = value;
            });
            return map;
        }
    }
}
