using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.MatchCarriers;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>The body of <c>POST /api/applications</c>: a profile, or the id of a recent match, and 1–3 carriers in order of preference.</summary>
public sealed record SubmitApplicationRequest
{
    public MatchRequest? Profile { get; init; }
    public string? MatchId { get; init; }
    public string?[]? CarrierIds { get; init; }
}

/// <summary>The answer to a submission: where to follow it, and the token that alone opens it.</summary>
public sealed record SubmittedApplication(string Id, CodeName Status, DateTimeOffset SubmittedAt, string AccessToken, string StatusUrl, string WithdrawUrl);

public sealed record SeatView(string Kind, double Amount, LocalizedText Text)
{
    public static SeatView From(SeatClaim claim) => new(claim.Kind == SeatKind.Area ? "area-m2" : "workstations", claim.Amount, claim.Describe());
}

public sealed record ChoiceView(int Rank, string CarrierId, string? Name);

public sealed record EventView(DateTimeOffset At, CodeName Status, IReadOnlyList<LocalizedText> Reasons);

/// <summary>An application as its applicant sees it: status, the carrier and seat if any, reasons, and its history.</summary>
public sealed record ApplicationView(
    string Id,
    CodeName Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? DecidedAt,
    IReadOnlyList<ChoiceView> Choices,
    ChoiceView? Carrier,
    SeatView? Seat,
    IReadOnlyList<LocalizedText> Reasons,
    IReadOnlyList<EventView> History)
{
    public static ApplicationView From(ApplicationRecord application, CatalogSnapshot? catalog)
    {
        string? NameOf(string id) => catalog?.Index.Find(id)?.Name;
        var choices = application.Choices.Select((c, i) => new ChoiceView(i + 1, c.Id, NameOf(c.Id))).ToList();
        return new(
            application.Id,
            StatusOf(application.Status),
            application.SubmittedAt,
            application.DecidedAt,
            choices,
            application.CarrierId is { } carrier ? choices.FirstOrDefault(c => c.CarrierId == carrier) : null,
            application.Claim is { } claim && application.Status == ApplicationStatus.Accepted
                ? SeatView.From(claim)
                : null,
            application.Reasons,
            [.. application.History.Select(e => new EventView(e.At,
                ApplicationStatuses.TryParse(e.Status, out var status) ? StatusOf(status) : new CodeName(e.Status, new(e.Status, e.Status)), e.Reasons))]);
    }

    public static CodeName StatusOf(ApplicationStatus status) => new(status.Code(), status.Name());
}
