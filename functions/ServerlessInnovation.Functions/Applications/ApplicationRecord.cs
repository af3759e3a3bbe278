using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>A carrier the startup chose, with the district (its table partition) as the catalog had it then.</summary>
public sealed record ChosenCarrier(string Id, string District);

/// <summary>One step in an application's life: when, into which status, and why.</summary>
public sealed record ApplicationEvent(DateTimeOffset At, string Status, IReadOnlyList<LocalizedText> Reasons);

/// <summary>
/// An application as stored: partition = its UTC submission day (<c>yyyyMMdd</c>, the id's prefix), so a sweep or a day's
/// statistics read one partition; row = its id.
/// </summary>
public sealed record ApplicationRecord
{
    public required string Id { get; init; }
    public required ApplicationStatus Status { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public required ProfileRecord Profile { get; init; }
    /// <summary>The chosen carriers, in the startup's order of preference.</summary>
    public required IReadOnlyList<ChosenCarrier> Choices { get; init; }
    /// <summary>The carrier that accepted it, or (waitlisted) the first that would.</summary>
    public string? CarrierId { get; init; }
    public SeatClaim? Claim { get; init; }
    /// <summary>The carriers the decision was sent to: the accepting one, or those it waits at.</summary>
    public IReadOnlyList<string> ForwardedTo { get; init; } = [];
    public IReadOnlyList<LocalizedText> Reasons { get; init; } = [];
    public IReadOnlyList<ApplicationEvent> History { get; init; } = [];
    public required string TokenHash { get; init; }
    /// <summary>How often the sweep queued it again.</summary>
    public int Requeued { get; init; }
    public ETag ETag { get; init; }

    /// <summary>A new id: the UTC day, a dash, and 128 random bits in hex.</summary>
    public static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="id"/> has the shape of an application id (so it can be looked up safely).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: 41 } && id[8] == '-' &&
        DateOnly.TryParseExact(id[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) &&
        id[9..].All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string PartitionOf(string id) => id[..8];

    /// <summary>This record moved into <paramref name="status"/> at <paramref name="at"/>, with the reasons added to its history.</summary>
    public ApplicationRecord Then(ApplicationStatus status, DateTimeOffset at, IReadOnlyList<LocalizedText> reasons) => this with
    {
        Status = status,
        Reasons = reasons,
        DecidedAt = status is ApplicationStatus.Accepted or ApplicationStatus.Waitlisted or ApplicationStatus.Rejected ? at : DecidedAt,
        History = [.. History, new ApplicationEvent(at, status.Code(), reasons)],
    };

    public TableEntity ToEntity() => new(PartitionOf(Id), Id)
    {
        ["Status"] = Status.Code(),
        ["SubmittedAt"] = SubmittedAt,
        ["DecidedAt"] = DecidedAt,
        ["Profile"] = JsonSerializer.Serialize(Profile, ApplicationJsonContext.Default.ProfileRecord),
        ["Choices"] = JsonSerializer.Serialize(Choices, ApplicationJsonContext.Default.IReadOnlyListChosenCarrier),
        ["CarrierId"] = CarrierId,
        ["ClaimKind"] = Claim?.Kind.ToString(),
        ["ClaimAmount"] = Claim?.Amount,
        ["ForwardedTo"] = JsonSerializer.Serialize(ForwardedTo, ApplicationJsonContext.Default.IReadOnlyListString),
        ["Reasons"] = JsonSerializer.Serialize(Reasons, ApplicationJsonContext.Default.IReadOnlyListLocalizedText),
        ["History"] = JsonSerializer.Serialize(History, ApplicationJsonContext.Default.IReadOnlyListApplicationEvent),
        ["TokenHash"] = TokenHash,
        ["Requeued"] = Requeued,
    };

    /// <summary>Reads a stored application; an entity that is not one throws <see cref="FormatException"/>.</summary>
    public static ApplicationRecord FromEntity(TableEntity entity)
    {
        try
        {
            return new ApplicationRecord
            {
                Id = entity.RowKey,
                Status = ApplicationStatuses.TryParse(entity.GetString("Status"), out var status) ? status : throw new FormatException("Unknown status."),
                SubmittedAt = entity.GetDateTimeOffset("SubmittedAt") ?? throw new FormatException("No submission time."),
                DecidedAt = entity.GetDateTimeOffset("DecidedAt"),
                Profile = JsonSerializer.Deserialize(entity.GetString("Profile") ?? "null", ApplicationJsonContext.Default.ProfileRecord)
                    ?? throw new FormatException("No profile."),
                Choices = JsonSerializer.Deserialize(entity.GetString("Choices") ?? "[]", ApplicationJsonContext.Default.IReadOnlyListChosenCarrier) ?? [],
                CarrierId = entity.GetString("CarrierId"),
                Claim = Enum.TryParse<SeatKind>(entity.GetString("ClaimKind"), out var kind) && entity.GetDouble("ClaimAmount") is { } amount
                    ? new SeatClaim(kind, amount)
                    : null,
                ForwardedTo = JsonSerializer.Deserialize(entity.GetString("ForwardedTo") ?? "[]", ApplicationJsonContext.Default.IReadOnlyListString) ?? [],
                Reasons = JsonSerializer.Deserialize(entity.GetString("Reasons") ?? "[]", ApplicationJsonContext.Default.IReadOnlyListLocalizedText) ?? [],
                History = JsonSerializer.Deserialize(entity.GetString("History") ?? "[]", ApplicationJsonContext.Default.IReadOnlyListApplicationEvent) ?? [],
                TokenHash = entity.GetString("TokenHash") ?? "",
                Requeued = entity.GetInt32("Requeued") ?? 0,
                ETag = entity.ETag,
            };
        }
        catch (JsonException exception)
        {
            throw new FormatException("A stored application does not read back.", exception);
        }
    }
}

/// <summary>
/// The queue message that asks for applications to be decided: their ids, nothing else. Submissions that arrive together
/// share one message (see <see cref="ApplicationIntake"/>), so a burst costs the queue one message per group, not per application.
/// </summary>
public sealed record ApplicationMessage(IReadOnlyList<string> ApplicationIds)
{
    /// <summary>At most this many applications in one message (about 1.4 KB of ids).</summary>
    public const int MaxApplications = 32;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, MaxDepth = 16)]
[JsonSerializable(typeof(ProfileRecord))]
[JsonSerializable(typeof(MatchIdPayload))]
[JsonSerializable(typeof(ApplicationMessage))]
[JsonSerializable(typeof(IReadOnlyList<LocalizedText>))]
[JsonSerializable(typeof(IReadOnlyList<ApplicationEvent>))]
[JsonSerializable(typeof(IReadOnlyList<ChosenCarrier>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ApplicationJsonContext : JsonSerializerContext;
