using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>A carrier as stored now, with the ETag that a reservation must match.</summary>
public sealed record CarrierState(Carrier Carrier, ETag ETag);

/// <summary>A seat held for an application at a carrier.</summary>
public sealed record SeatReservation(string CarrierId, string District, string ApplicationId, SeatClaim Claim, ETag ETag);

/// <summary>An application as its carrier's row records it: status, when, the profile's summary, and the seat while one is held.</summary>
public sealed record CarrierCopyRow(
    string ApplicationId,
    string Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? UpdatedAt,
    string Industry,
    string Stage,
    int TeamSize,
    SeatClaim? Claim)
{
    /// <summary>The columns a <see cref="CarrierCopyRow"/> is read from.</summary>
    internal static readonly string[] Columns =
        ["ApplicationId", "Status", "SubmittedAt", "DecidedAt", "UpdatedAt", "Industry", "Stage", "TeamSize", "ClaimKind", "ClaimAmount"];

    internal static CarrierCopyRow From(TableEntity row) => new(
        row.GetString("ApplicationId") ?? "",
        row.GetString("Status") ?? "",
        row.GetDateTimeOffset("SubmittedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("DecidedAt"),
        row.GetDateTimeOffset("UpdatedAt"),
        row.GetString("Industry") ?? "",
        row.GetString("Stage") ?? "",
        row.GetInt32("TeamSize") ?? 0,
        Enum.TryParse<SeatKind>(row.GetString("ClaimKind"), out var kind) ? new SeatClaim(kind, row.GetDouble("ClaimAmount") ?? 0) : null);
}

public enum ReserveOutcome
{
    /// <summary>The seat is taken from the carrier and held for the application.</summary>
    Reserved = 1,

    /// <summary>The carrier changed since it was read (someone else reserved or released): read it again and decide again.</summary>
    CarrierChanged = 2,

    /// <summary>A seat at this carrier is already held for the application (a redelivered message): nothing was taken.</summary>
    AlreadyReserved = 3,

    /// <summary>
    /// The carrier already has the application without a seat: it was decided or withdrawn meanwhile, so recording this
    /// decision will fail on the application's ETag and read it again. Nothing was taken.
    /// </summary>
    ApplicationChanged = 4,
}

/// <summary>
/// Seats and each carrier's copy of its applications, kept where the carrier is: the carrier row's free area and
/// workstations, and one row per application the carrier has heard of, in the carrier's partition (row key
/// <c>~{carrier}|{application}</c>, after every carrier id) — its status, profile summary and, while a seat is held, the
/// claim. Taking a seat updates the carrier (only if its ETag still matches) and inserts that row, claim and status
/// <c>accepted</c> in it, in one entity-group transaction: no seat is ever given twice — not under concurrency (the ETag),
/// not on redelivery (the row exists) — and an accepted application reaches its carrier in the same write. A release
/// deletes the row and gives the seat back the same way, exactly once; later news (withdrawn, waitlisted) is merged into
/// the row without touching a claim.
/// <para>
/// The ledger remembers the last version of each carrier it read or wrote, with its ETag and when storage confirmed it.
/// Everything this instance reads or writes of a carrier's seats happens one at a time per carrier, so that memory is
/// never older than what this instance itself did. A decision may rest on a version confirmed within
/// <see cref="ApplicationOptions.CarrierStateFreshFor"/>; taking a seat is still checked by the carrier's ETag, so a
/// version that another instance or a bureau made out of date costs one failed transaction and a fresh read, never a
/// seat given twice. A save of the catalog by this instance makes every remembered version out of date at once.
/// </para>
/// </summary>
public sealed class SeatLedger(
    TableServiceClient tables,
    IOptions<CatalogOptions> catalogOptions,
    IOptions<ApplicationOptions> options,
    CatalogTable catalog,
    CatalogChangeNotifier changes,
    TimeProvider time)
{
    private const int MaxReleaseAttempts = 50;

    /// <summary>A version of a carrier, when storage confirmed it (a timestamp), and the catalog's save count before it was asked for.</summary>
    private sealed record Known(CarrierState State, long ConfirmedAt, long Saves);

    private readonly TableClient _carriers = tables.GetTableClient(catalogOptions.Value.CarrierTable);
    private readonly ConcurrentDictionary<string, Known> _lastKnown = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    /// <summary>The carrier as stored now (and remembered as the last known version); null if it is gone.</summary>
    public Task<CarrierState?> GetCarrierAsync(ChosenCarrier choice, CancellationToken cancellationToken) =>
        InTurnAsync(choice.Id, () => ReadAsync(choice, cancellationToken), cancellationToken);

    /// <summary>
    /// The last version of the carrier this instance read or wrote, if storage confirmed it recently enough to decide on
    /// (<see cref="ApplicationOptions.CarrierStateFreshFor"/>) and no save of the catalog came after; otherwise null.
    /// </summary>
    public CarrierState? Recent(ChosenCarrier choice) =>
        Remembered(choice) is { } known && time.GetElapsedTime(known.ConfirmedAt) <= options.Value.CarrierStateFreshFor ? known.State : null;

    /// <summary>The last version of the carrier this instance read or wrote, however old, unless a save of the catalog came after.</summary>
    private Known? Remembered(ChosenCarrier choice) =>
        _lastKnown.TryGetValue(choice.Id, out var known) && known.Saves == catalog.Saves ? known : null;

    /// <summary>Reads the carrier and remembers it. Call it in the carrier's turn.</summary>
    private async Task<CarrierState?> ReadAsync(ChosenCarrier choice, CancellationToken cancellationToken)
    {
        var saves = catalog.Saves;
        if (await catalog.GetCarrierAsync(choice.District, choice.Id, cancellationToken) is not { } found)
        {
            _lastKnown.TryRemove(choice.Id, out _);
            return null;
        }
        var state = new CarrierState(found.Carrier, found.ETag);
        Remember(state, saves);
        return state;
    }

    /// <summary>Remembers a version storage just confirmed. Call it in the carrier's turn, so the last call is the newest version.</summary>
    private void Remember(CarrierState state, long saves) => _lastKnown[state.Carrier.Id] = new Known(state, time.GetTimestamp(), saves);

    /// <summary>Runs <paramref name="action"/> when no other read or write of this carrier's seats is under way in this instance.</summary>
    private async Task<T> InTurnAsync<T>(string carrierId, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd(carrierId, static _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            turn.Release();
        }
    }

    public async Task<SeatReservation?> FindAsync(ChosenCarrier choice, string applicationId, CancellationToken cancellationToken)
    {
        var response = await _carriers.GetEntityIfExistsAsync(choice.District, RowKey(choice.Id, applicationId), cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } row && row.GetString("ClaimKind") is not null
            ? new SeatReservation(choice.Id, choice.District, applicationId,
                new SeatClaim(Enum.Parse<SeatKind>(row.GetString("ClaimKind")!), row.GetDouble("ClaimAmount") ?? 0), row.ETag)
            : null;
    }

    /// <summary>
    /// Takes the seat for the application, which is accepted at <paramref name="at"/>, and shows it to the carrier as
    /// accepted — if the carrier is still at <paramref name="state"/>. When this instance already knows a newer version,
    /// the answer is <see cref="ReserveOutcome.CarrierChanged"/> without asking storage.
    /// </summary>
    public Task<ReserveOutcome> ReserveAsync(CarrierState state, SeatClaim claim, ApplicationRecord application, DateTimeOffset at, CancellationToken cancellationToken) =>
        InTurnAsync(state.Carrier.Id, async () =>
            _lastKnown.TryGetValue(state.Carrier.Id, out var known) && known.State.ETag != state.ETag
                ? ReserveOutcome.CarrierChanged
                : await TakeSeatAsync(state, claim, application, at, cancellationToken), cancellationToken);

    private async Task<ReserveOutcome> TakeSeatAsync(CarrierState state, SeatClaim claim, ApplicationRecord application, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var applicationId = application.Id;
        var carrier = state.Carrier;
        var taken = claim.TakeFrom(carrier);
        var saves = catalog.Saves;
        Response<IReadOnlyList<Response>> response;
        try
        {
            response = await _carriers.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, SpaceEntity(taken), state.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, CarrierCopy(carrier.DistrictCode, carrier.Id, application, ApplicationStatus.Accepted, at, at,
                    claim)),
            ], cancellationToken);
        }
        catch (TableTransactionFailedException exception) when (exception.FailedTransactionActionIndex == 1 && exception.Status == 409)
        {
            return await FindAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), applicationId, cancellationToken) is null
                ? ReserveOutcome.ApplicationChanged
                : ReserveOutcome.AlreadyReserved;
        }
        catch (TableTransactionFailedException exception) when (exception.Status is 412 or 404)
        {
            _lastKnown.TryRemove(carrier.Id, out _);
            return ReserveOutcome.CarrierChanged;
        }
        if (response.Value[0].Headers.ETag is { } etag)
        {
            Remember(new CarrierState(taken, etag), saves);
        }
        else
        {
            _lastKnown.TryRemove(carrier.Id, out _);
        }
        changes.MarkChanged();
        return ReserveOutcome.Reserved;
    }

    /// <summary>Gives back the seat held for the application at this carrier, if there is one. True when this call released it.</summary>
    public Task<bool> ReleaseAsync(ChosenCarrier choice, string applicationId, CancellationToken cancellationToken) =>
        InTurnAsync(choice.Id, async () =>
        {
            for (var attempt = 1; attempt <= MaxReleaseAttempts; attempt++)
            {
                if (await FindAsync(choice, applicationId, cancellationToken) is not { } reservation)
                {
                    return false;
                }
                var deleteReservation = new TableTransactionAction(TableTransactionActionType.Delete,
                    new TableEntity(choice.District, RowKey(choice.Id, applicationId)), reservation.ETag);
                // The remembered version is this instance's newest; if another changed the carrier since, the transaction
                // fails on its ETag and the next attempt reads it.
                var saves = catalog.Saves;
                var carrier = (attempt == 1 ? Remembered(choice)?.State : null) ?? await ReadAsync(choice, cancellationToken);
                var givenBack = carrier is null ? null : reservation.Claim.GiveBackTo(carrier.Carrier);
                try
                {
                    var response = await _carriers.SubmitTransactionAsync(carrier is null
                        ? [deleteReservation]
                        : [deleteReservation, new TableTransactionAction(TableTransactionActionType.UpdateMerge, SpaceEntity(givenBack!), carrier.ETag)], cancellationToken);
                    if (givenBack is not null && response.Value[1].Headers.ETag is { } etag)
                    {
                        Remember(new CarrierState(givenBack, etag), saves);
                    }
                    else
                    {
                        _lastKnown.TryRemove(choice.Id, out _);
                    }
                }
                catch (TableTransactionFailedException exception) when (exception.FailedTransactionActionIndex == 0 && exception.Status == 404)
                {
                    return false;
                }
                catch (TableTransactionFailedException exception) when (exception.FailedTransactionActionIndex == 0 && exception.Status == 412)
                {
                    // The row changed (news merged into it) after it was found: find it again.
                    continue;
                }
                catch (TableTransactionFailedException exception) when (exception.Status is 412 or 404)
                {
                    _lastKnown.TryRemove(choice.Id, out _);
                    continue;
                }
                changes.MarkChanged();
                return true;
            }
            throw new TimeoutException($"Could not release the seat of application {applicationId} at {choice.Id}: the carrier kept changing.");
        }, cancellationToken);

    /// <summary>Every reservation row at a carrier (for checks and statistics).</summary>
    public async Task<IReadOnlyList<SeatReservation>> ReservationsAtAsync(ChosenCarrier choice, CancellationToken cancellationToken)
    {
        var found = new List<SeatReservation>();
        await foreach (var row in RowsAtAsync(choice, select: null, cancellationToken))
        {
            if (row.GetString("ClaimKind") is { } kind)
            {
                found.Add(new SeatReservation(choice.Id, choice.District, row.GetString("ApplicationId")!,
                    new SeatClaim(Enum.Parse<SeatKind>(kind), row.GetDouble("ClaimAmount") ?? 0), row.ETag));
            }
        }
        return found;
    }

    /// <summary>
    /// The carrier's rows for applications, only those in <paramref name="status"/> if given. '}' follows '|' directly:
    /// the range holds exactly this carrier's rows.
    /// </summary>
    private AsyncPageable<TableEntity> RowsAtAsync(ChosenCarrier carrier, IEnumerable<string>? select, CancellationToken cancellationToken,
        ApplicationStatus? status = null)
    {
        var prefix = RowKey(carrier.Id, "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {carrier.District} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
        if (status is { } only)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {only.Code()}");
        }
        return _carriers.QueryAsync(filter, select: select, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Shows the carrier the application as it is now (waitlisted there, withdrawn, or accepted again after a redelivery):
    /// merged into the carrier's row, so a claim stays as the seat transactions left it. Repeating it is harmless.
    /// </summary>
    public async Task ForwardAsync(ApplicationRecord application, ChosenCarrier carrier, CancellationToken cancellationToken) =>
        await _carriers.UpsertEntityAsync(
            CarrierCopy(carrier.District, carrier.Id, application, application.Status, application.DecidedAt,
                application.History.Count > 0 ? application.History[^1].At : application.SubmittedAt, claim: null),
            TableUpdateMode.Merge, cancellationToken);

    /// <summary>The applications the carrier has heard of, with their status as it last heard (for checks; the bureau view reads <see cref="CarrierCopiesAsync"/>).</summary>
    public async Task<IReadOnlyList<(string ApplicationId, string Status)>> ApplicationsAtAsync(ChosenCarrier carrier, CancellationToken cancellationToken)
    {
        var rows = new List<(string, string)>();
        await foreach (var row in RowsAtAsync(carrier, ["ApplicationId", "Status"], cancellationToken))
        {
            rows.Add((row.GetString("ApplicationId") ?? "", row.GetString("Status") ?? ""));
        }
        return rows;
    }

    /// <summary>
    /// The applications the carrier has heard of, as its rows record them (for the bureau view), newest submission first;
    /// only those in <paramref name="status"/> if given. A row holds no token and no more of the profile than its summary.
    /// </summary>
    public async Task<IReadOnlyList<CarrierCopyRow>> CarrierCopiesAsync(ChosenCarrier carrier, ApplicationStatus? status, CancellationToken cancellationToken)
    {
        var rows = new List<CarrierCopyRow>();
        await foreach (var row in RowsAtAsync(carrier, CarrierCopyRow.Columns, cancellationToken, status))
        {
            rows.Add(CarrierCopyRow.From(row));
        }
        return [.. rows.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.ApplicationId, StringComparer.Ordinal)];
    }

    /// <summary>The carrier's row for an application: what it sees of it, and the claim when a seat is taken with it.</summary>
    private static TableEntity CarrierCopy(string district, string carrierId, ApplicationRecord application, ApplicationStatus status,
        DateTimeOffset? decidedAt, DateTimeOffset updatedAt, SeatClaim? claim)
    {
        var row = new TableEntity(district, RowKey(carrierId, application.Id))
        {
            ["ApplicationId"] = application.Id,
            ["CarrierId"] = carrierId,
            ["Status"] = status.Code(),
            ["SubmittedAt"] = application.SubmittedAt,
            ["DecidedAt"] = decidedAt,
            ["UpdatedAt"] = updatedAt,
            ["Industry"] = application.Profile.Industry,
            ["Stage"] = application.Profile.Stage,
            ["TeamSize"] = application.Profile.TeamSize,
        };
        if (claim is { } taken)
        {
            row["ClaimKind"] = taken.Kind.ToString();
            row["ClaimAmount"] = taken.Amount;
            row["ReservedAt"] = updatedAt;
        }
        return row;
    }

    private static string RowKey(string carrierId, string applicationId) =>
        $"{CatalogTable.NonCarrierRowKeyStart}{carrierId}|{applicationId}";

    private static TableEntity SpaceEntity(Carrier carrier) => new(carrier.DistrictCode, carrier.Id)
    {
        ["FreeAreaM2"] = Math.Max(0, carrier.FreeAreaM2),
        ["FreeWorkstations"] = Math.Max(0, carrier.FreeWorkstations),
    };
}
