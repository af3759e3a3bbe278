using System.Diagnostics.CodeAnalysis;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;

namespace ServerlessInnovation.Functions.Catalog;

/// <summary>A coded value with its name: <c>{"code":"incubator","name":{"zh":"科技企业孵化器","en":"..."}}</c>.</summary>
public sealed record CodeName(string Code, LocalizedText Name);

public sealed record Coordinates(double Latitude, double Longitude);

/// <summary>A recognition a carrier holds: level, who conferred it, and when.</summary>
public sealed record TierAwardView(string Code, LocalizedText Name, string IssuingBody, DateOnly AwardedOn, DateOnly? ValidUntil, bool InForce);

public sealed record EntryRuleView(string Kind, long? Threshold, LocalizedText Description);

/// <summary>A carrier as lists and match results show it.</summary>
public record CarrierSummary
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required CodeName Type { get; init; }
    public required CodeName Focus { get; init; }
    /// <summary>The highest tier in force today, or null.</summary>
    public required TierAwardView? Tier { get; init; }
    public required CodeName District { get; init; }
    public required string Address { get; init; }
    public required Coordinates Location { get; init; }
    public required double TotalAreaM2 { get; init; }
    public required double FreeAreaM2 { get; init; }
    public required int FreeWorkstations { get; init; }
    public required IReadOnlyList<CodeName> Industries { get; init; }
    public required IReadOnlyList<CodeName> Services { get; init; }
}

/// <summary>A carrier with everything a startup needs before applying.</summary>
public sealed record CarrierDetail : CarrierSummary
{
    [SetsRequiredMembers]
    public CarrierDetail(CarrierSummary summary) : base(summary)
    {
    }

    public string? Operator { get; init; }
    public IReadOnlyList<TierAwardView> TierAwards { get; init; } = [];
    public TrackRecord TrackRecord { get; init; } = TrackRecord.None;
    public IReadOnlyList<EntryRuleView> EntryRules { get; init; } = [];
    public long CatalogVersion { get; init; }
}

public static class CarrierViews
{
    public static CarrierSummary Summary(MatchIndex index, int position) =>
        Summary(index.Carriers[position], index.DistrictAt(position), index.TierAt(position), index.BuiltFor);

    public static CarrierSummary Summary(Carrier carrier, District district, TierLevel? tier, DateOnly today) => new()
    {
        Id = carrier.Id,
        Name = carrier.Name,
        Type = new(carrier.Type.Code(), carrier.Type.Name()),
        Focus = new(carrier.Focus.Code(), carrier.Focus.Name()),
        Tier = tier is null ? null : carrier.Tiers.Where(a => a.LevelCode == tier.Code && a.IsInForceOn(today))
            .OrderByDescending(a => a.AwardedOn).Select(a => Award(a, today)).FirstOrDefault(),
        District = new(district.Code, district.Name),
        Address = carrier.Address,
        Location = new(carrier.Location.Latitude, carrier.Location.Longitude),
        TotalAreaM2 = carrier.TotalAreaM2,
        FreeAreaM2 = carrier.FreeAreaM2,
        FreeWorkstations = carrier.FreeWorkstations,
        Industries = [.. carrier.Industries.Members.Select(i => new CodeName(i.Code, i.Name))],
        Services = [.. ServiceCatalog.In(carrier.Services).Select(s => new CodeName(s.Code, s.Name))],
    };

    public static CarrierDetail Detail(Carrier carrier, District district, TierLevel? tier, DateOnly today, long catalogVersion) =>
        new(Summary(carrier, district, tier, today))
        {
            Operator = carrier.Operator,
            TierAwards = [.. carrier.Tiers.OrderByDescending(a => a.AwardedOn).Select(a => Award(a, today))],
            TrackRecord = carrier.TrackRecord,
            EntryRules = [.. carrier.EntryRules.Select(r => new EntryRuleView(r.KindCode(), r.Kind == EntryRuleKind.TechSmeRequired ? null : r.Value, r.Describe()))],
            CatalogVersion = catalogVersion,
        };

    private static TierAwardView Award(TierAward award, DateOnly today)
    {
        var level = Tiers.Find(award.LevelCode);
        return new(award.LevelCode, level?.Name ?? new(award.LevelCode, award.LevelCode), award.IssuingBody, award.AwardedOn, award.ValidUntil, award.IsInForceOn(today));
    }
}
