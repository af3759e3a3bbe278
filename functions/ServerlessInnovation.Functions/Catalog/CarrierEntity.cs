using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Catalog;

/// <summary>
/// A carrier as a table entity: partition = district, row = id; scalars as typed properties, code sets as
/// comma-separated codes, tier awards and entry rules as small JSON arrays.
/// </summary>
public static class CarrierEntity
{
    public static TableEntity From(Carrier carrier) => new(carrier.DistrictCode, carrier.Id)
    {
        ["Name"] = carrier.Name,
        ["Type"] = carrier.Type.Code(),
        ["Focus"] = carrier.Focus.Code(),
        ["Address"] = carrier.Address,
        ["Operator"] = carrier.Operator,
        ["Latitude"] = carrier.Location.Latitude,
        ["Longitude"] = carrier.Location.Longitude,
        ["TotalAreaM2"] = carrier.TotalAreaM2,
        ["FreeAreaM2"] = carrier.FreeAreaM2,
        ["FreeWorkstations"] = carrier.FreeWorkstations,
        ["Industries"] = string.Join(',', carrier.Industries.Members.Select(i => i.Code)),
        ["Services"] = ServiceCatalog.ToCodes(carrier.Services),
        ["EnterprisesInIncubation"] = carrier.TrackRecord.EnterprisesInIncubation,
        ["Graduated"] = carrier.TrackRecord.Graduated,
        ["HighTechEnterprises"] = carrier.TrackRecord.HighTechEnterprises,
        ["Jobs"] = carrier.TrackRecord.Jobs,
        ["Tiers"] = JsonSerializer.Serialize([.. carrier.Tiers.Select(StoredTierAward.From)], CarrierEntityJsonContext.Default.StoredTierAwardArray),
        ["EntryRules"] = JsonSerializer.Serialize([.. carrier.EntryRules.Select(StoredEntryRule.From)], CarrierEntityJsonContext.Default.StoredEntryRuleArray),
    };

    /// <summary>Reads a carrier back; <paramref name="problem"/> says what is wrong with an entity that is not a valid carrier.</summary>
    public static bool TryRead(TableEntity entity, [NotNullWhen(true)] out Carrier? carrier, [NotNullWhen(false)] out string? problem)
    {
        carrier = null;
        try
        {
            if (!Carrier.IsValidId(entity.RowKey))
            {
                problem = "invalid id";
                return false;
            }
            if (!CarrierTypes.TryParse(entity.GetString("Type"), out var type) || !CarrierTypes.TryParseFocus(entity.GetString("Focus"), out var focus))
            {
                problem = "unknown type or focus";
                return false;
            }
            var location = new GeoPoint(entity.GetDouble("Latitude") ?? double.NaN, entity.GetDouble("Longitude") ?? double.NaN);
            var total = entity.GetDouble("TotalAreaM2") ?? -1;
            var free = entity.GetDouble("FreeAreaM2") ?? -1;
            var freeWorkstations = entity.GetInt32("FreeWorkstations") ?? -1;
            if (!location.IsValid || !(total >= 0) || !(free >= 0) || free > total || freeWorkstations < 0)
            {
                problem = "invalid location or space figures";
                return false;
            }
            if (!TryParseIndustries(entity.GetString("Industries"), out var industries) || !TryParseServices(entity.GetString("Services"), out var services))
            {
                problem = "unknown industry or service code";
                return false;
            }
            var tiers = JsonSerializer.Deserialize(entity.GetString("Tiers") ?? "[]", CarrierEntityJsonContext.Default.StoredTierAwardArray) ?? [];
            var rules = (JsonSerializer.Deserialize(entity.GetString("EntryRules") ?? "[]", CarrierEntityJsonContext.Default.StoredEntryRuleArray) ?? [])
                .Select(r => r.ToRule()).ToList();
            if (rules.Any(r => r is null || !r.IsValid))
            {
                problem = "invalid entry rule";
                return false;
            }

            carrier = new Carrier
            {
                Id = entity.RowKey,
                Name = entity.GetString("Name") ?? entity.RowKey,
                Type = type,
                Focus = focus,
                Tiers = [.. tiers.Select(t => t.ToAward())],
                DistrictCode = entity.PartitionKey,
                Address = entity.GetString("Address") ?? "",
                Operator = entity.GetString("Operator"),
                Location = location,
                TotalAreaM2 = total,
                FreeAreaM2 = free,
                FreeWorkstations = freeWorkstations,
                Industries = industries,
                Services = services,
                TrackRecord = new TrackRecord(
                    entity.GetInt32("EnterprisesInIncubation") ?? 0,
                    entity.GetInt32("Graduated") ?? 0,
                    entity.GetInt32("HighTechEnterprises") ?? 0,
                    entity.GetInt32("Jobs") ?? 0),
                EntryRules = rules!,
            };
            problem = null;
            return true;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidCastException)
        {
            problem = "unreadable property: " + exception.GetType().Name;
            return false;
        }
    }

    private static bool TryParseIndustries(string? codes, out IndustrySet set)
    {
        set = IndustrySet.Empty;
        foreach (var code in (codes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Industries.TryParse(code, out var industry))
            {
                return false;
            }
            set = set.With(industry);
        }
        return true;
    }

    private static bool TryParseServices(string? codes, out CarrierServices services)
    {
        services = CarrierServices.None;
        foreach (var code in (codes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ServiceCatalog.TryParse(code, out var flag))
            {
                return false;
            }
            services |= flag;
        }
        return true;
    }
}

public sealed record StoredTierAward(string Level, string IssuingBody, DateOnly AwardedOn, DateOnly? ValidUntil)
{
    public static StoredTierAward From(TierAward award) => new(award.LevelCode, award.IssuingBody, award.AwardedOn, award.ValidUntil);

    public TierAward ToAward() => new(Level, IssuingBody, AwardedOn, ValidUntil);
}

public sealed record StoredEntryRule(string Kind, long Value)
{
    public static StoredEntryRule From(EntryRule rule) => new(rule.KindCode(), rule.Value);

    public EntryRule? ToRule() => EntryRule.TryParseKind(Kind, out var kind) ? new EntryRule(kind, Value) : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind}={Value}");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StoredTierAward[]))]
[JsonSerializable(typeof(StoredEntryRule[]))]
internal sealed partial class CarrierEntityJsonContext : JsonSerializerContext;
