using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Applications;

/// <summary>A chosen carrier as the decision saw it: null when it is no longer in the catalog.</summary>
public sealed record Choice(string CarrierId, Carrier? Carrier);

/// <summary>
/// What to do with an application, given its choices as they stand now: accept at the first carrier (in the startup's
/// order) whose rules admit it and that has room, claiming the seat; else waitlist if a carrier would admit it but is
/// full; else reject. The reasons say, per choice, why.
/// </summary>
/// <param name="AcceptedAt">The choice to reserve at; null unless <see cref="Status"/> is <see cref="ApplicationStatus.Accepted"/>.</param>
/// <param name="WaitlistedAt">The admitting but full choices, in order; empty unless waitlisted.</param>
public sealed record ApplicationDecision(
    ApplicationStatus Status,
    string? AcceptedAt,
    SeatClaim? Claim,
    IReadOnlyList<string> WaitlistedAt,
    IReadOnlyList<LocalizedText> Reasons)
{
    public const int MaxChoices = 3;

    public static ApplicationDecision Decide(StartupProfile profile, IReadOnlyList<Choice> choices, DateOnly today, MatchingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(policy);
        if (choices.Count is 0 or > MaxChoices)
        {
            throw new ArgumentException($"An application has 1 to {MaxChoices} choices.", nameof(choices));
        }

        var techSme = TechSmeAssessment.Assess(profile);
        var reasons = new List<LocalizedText>();
        var full = new List<string>();
        foreach (var choice in choices)
        {
            if (choice.Carrier is not { } carrier)
            {
                reasons.Add(new($"{choice.CarrierId}：已不在孵化载体目录中", $"{choice.CarrierId}: no longer in the carrier catalog"));
                continue;
            }
            var failures = Eligibility.Failures(carrier, profile, today, techSme);
            if (failures.Count > 0)
            {
                reasons.Add(new(
                    $"{carrier.Name}：{string.Join("；", failures.Select(f => f.Zh))}",
                    $"{carrier.Name}: {string.Join("; ", failures.Select(f => f.En))}"));
                continue;
            }
            if (SeatClaim.For(profile.Space, carrier, policy.AreaPerWorkstationM2) is { } claim)
            {
                var seat = claim.Describe();
                reasons.Add(new($"{carrier.Name}：符合入驻条件，已为您预留{seat.Zh}", $"{carrier.Name}: you qualify, and {seat.En} are reserved for you"));
                return new(ApplicationStatus.Accepted, carrier.Id, claim, [], reasons);
            }
            full.Add(carrier.Id);
            reasons.Add(new($"{carrier.Name}：符合入驻条件，但暂无足够空余空间，已进入候补", $"{carrier.Name}: you qualify, but there is not enough free space now; you are on the waitlist"));
        }

        return full.Count > 0
            ? new(ApplicationStatus.Waitlisted, null, null, full, reasons)
            : new(ApplicationStatus.Rejected, null, null, [], reasons);
    }
}
