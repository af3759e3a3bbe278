using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Matching;

/// <summary>
/// Whether one carrier's entry rules admit a startup: the same rules, thresholds and strictest-rule-wins reading as the
/// <see cref="MatchIndex"/>, for one carrier at a time (deciding an application, not ranking a catalog).
/// </summary>
public static class Eligibility
{
    /// <summary>The rules the startup fails at this carrier, in words; empty when it is admitted (space aside).</summary>
    public static IReadOnlyList<LocalizedText> Failures(Carrier carrier, StartupProfile profile, DateOnly today, TechSmeAssessment techSme)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        ArgumentNullException.ThrowIfNull(profile);
        var failures = new List<LocalizedText>();
        var ageMonths = profile.CompanyAgeMonths(today);
        foreach (var rule in Strictest(carrier.EntryRules))
        {
            var fails = rule.Kind switch
            {
                EntryRuleKind.MaxCompanyAgeMonths => ageMonths > rule.Value,
                EntryRuleKind.MaxLastYearRevenueCny => profile.LastYearRevenueCny > rule.Value,
                EntryRuleKind.TechSmeRequired => techSme.Status == TechSmeStatus.NotQualified,
                EntryRuleKind.MinRdStaffSharePercent => profile.RdStaffSharePercent < rule.Value,
                EntryRuleKind.MinStage => (int)profile.Stage < rule.Value,
                _ => false,
            };
            if (fails)
            {
                failures.Add(rule.DescribeFailure());
            }
        }
        var focus = carrier.Focus == CarrierFocus.Specialised
            && !carrier.Industries.Contains(profile.Industry)
            && !carrier.Industries.Overlaps(Industries.RelatedTo(profile.Industry));
        if (focus)
        {
            failures.Add(MatchExplanations.OutsideFocusText(profile.Industry));
        }
        return failures;
    }

    /// <summary>Of several rules of one kind, the strictest: the lowest maximum, the highest minimum.</summary>
    public static IEnumerable<EntryRule> Strictest(IEnumerable<EntryRule> rules) => rules
        .GroupBy(r => r.Kind)
        .Select(g => g.Key is EntryRuleKind.MinRdStaffSharePercent or EntryRuleKind.MinStage
            ? g.MaxBy(r => r.Value)!
            : g.MinBy(r => r.Value)!);
}
