using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Benchmarks;

/// <summary>
/// The baseline: the same eligibility and scoring as <see cref="MatchIndex"/>, written the obvious way — LINQ over
/// carrier objects, rules read from each carrier's rule list, tiers and track records computed on every call.
/// It doubles as the reference that the index is tested against.
/// </summary>
public static class LinqMatcher
{
    public sealed record Ranked(Carrier Carrier, double Score);

    public sealed record Result(IReadOnlyList<Ranked> Matches, IReadOnlyDictionary<(string Code, long? Threshold), int> Exclusions, int Eligible);

    public static Result Match(IReadOnlyList<Carrier> carriers, IReadOnlyList<District> districts, StartupProfile profile, DateOnly today, MatchingPolicy policy, int top)
    {
        var districtByCode = districts.ToDictionary(d => d.Code);
        var ageMonths = profile.CompanyAgeMonths(today);
        var techSmeFails = TechSmeAssessment.Assess(profile).Status == TechSmeStatus.NotQualified;

        IEnumerable<(string Code, long? Threshold)> Failures(Carrier carrier)
        {
            if (profile.CarrierTypes.Count > 0 && !profile.CarrierTypes.Contains(carrier.Type))
            {
                yield return ("type-not-wanted", null);
            }
            foreach (var rule in Strictest(carrier.EntryRules))
            {
                var fails = rule.Kind switch
                {
                    EntryRuleKind.MaxCompanyAgeMonths => ageMonths > rule.Value,
                    EntryRuleKind.MaxLastYearRevenueCny => profile.LastYearRevenueCny > rule.Value,
                    EntryRuleKind.TechSmeRequired => techSmeFails,
                    EntryRuleKind.MinRdStaffSharePercent => profile.RdStaffSharePercent < rule.Value,
                    EntryRuleKind.MinStage => (int)profile.Stage < rule.Value,
                    _ => false,
                };
                if (fails)
                {
                    yield return (rule.KindCode(), rule.Kind == EntryRuleKind.TechSmeRequired ? null : rule.Value);
                }
            }
            if (IndustryFit(carrier) < 0)
            {
                yield return ("industry-outside-focus", null);
            }
            if (Capacity(carrier) < 1)
            {
                yield return ("no-vacancy", null);
            }
        }

        double IndustryFit(Carrier carrier) => Scoring.IndustryFit(
            carrier.Industries.Mask, carrier.Focus == CarrierFocus.Specialised, 1u << profile.Industry.Bit, Industries.RelatedTo(profile.Industry).Mask);

        double Capacity(Carrier carrier) => Scoring.CapacityRatio(
            carrier.FreeAreaM2, carrier.FreeWorkstations, profile.Space.AreaM2, profile.Space.Workstations, policy.AreaPerWorkstationM2);

        double Proximity(Carrier carrier)
        {
            var preferred = profile.PreferredDistricts.Where(districtByCode.ContainsKey).ToList();
            if (profile.Location is null && preferred.Count == 0)
            {
                return Scoring.NeutralProximity;
            }
            if (preferred.Contains(carrier.DistrictCode))
            {
                return 1;
            }
            var value = profile.Location is { } origin
                ? Scoring.ProximityByDistance(carrier.Location.ApproximateKmFrom(origin), policy.ProximityRadiusKm)
                : 0;
            return preferred.Any(p => districtByCode[p].CityCode == districtByCode[carrier.DistrictCode].CityCode)
                ? Math.Max(value, Scoring.SameCityProximity)
                : value;
        }

        double Score(Carrier carrier) => policy.Weights.Combine(
            IndustryFit(carrier),
            Proximity(carrier),
            Scoring.ServicesCovered((byte)carrier.Services, (byte)profile.WantedServices),
            Scoring.VacancyHeadroom(Capacity(carrier), policy.FullHeadroomRatio),
            carrier.TierOn(today)?.Prestige ?? 0,
            Scoring.TrackRecordValue(carrier.TrackRecord));

        var evaluated = carriers.Select(c => (Carrier: c, Failures: Failures(c).ToList())).ToList();
        var exclusions = evaluated.SelectMany(e => e.Failures).GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
        var eligible = evaluated.Where(e => e.Failures.Count == 0).Select(e => e.Carrier).ToList();
        var matches = eligible
            .Select(c => new Ranked(c, Score(c) * 100))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Carrier.Id, StringComparer.Ordinal)
            .Take(top)
            .ToList();
        return new Result(matches, exclusions, eligible.Count);
    }

    /// <summary>Of several rules of one kind, the strictest decides (as it does in the index).</summary>
    private static IEnumerable<EntryRule> Strictest(IEnumerable<EntryRule> rules) => rules
        .GroupBy(r => r.Kind)
        .Select(g => g.Key is EntryRuleKind.MinRdStaffSharePercent or EntryRuleKind.MinStage
            ? g.MaxBy(r => r.Value)!
            : g.MinBy(r => r.Value)!);
}
