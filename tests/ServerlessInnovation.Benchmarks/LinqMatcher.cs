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
        var context = new ScoringContext(profile, policy);

        IEnumerable<(string Code, long? Threshold)> Failures(Carrier carrier)
        {
            if (profile.CarrierTypes.Count > 0 && !profile.CarrierTypes.Contains(carrier.Type))
            {
                yield return ("type-not-wanted", null);
            }
            foreach (var rule in Eligibility.Strictest(carrier.EntryRules))
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

        double IndustryFit(Carrier carrier) => context.IndustryFit(carrier.Industries.Mask, carrier.Focus == CarrierFocus.Specialised);

        double Capacity(Carrier carrier) => context.CapacityRatio(carrier.FreeAreaM2, carrier.FreeWorkstations);

        double Proximity(Carrier carrier)
        {
            var preferred = profile.PreferredDistricts.Where(districtByCode.ContainsKey).ToList();
            var city = districtByCode[carrier.DistrictCode].CityCode;
            return context.Proximity(carrier.Location.Latitude, carrier.Location.Longitude,
                preferred.Contains(carrier.DistrictCode),
                preferred.Any(p => districtByCode[p].CityCode == city));
        }

        double Score(Carrier carrier) => context.Score(
            IndustryFit(carrier),
            Proximity(carrier),
            context.ServicesCovered((byte)carrier.Services),
            context.VacancyHeadroom(Capacity(carrier)),
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
}
