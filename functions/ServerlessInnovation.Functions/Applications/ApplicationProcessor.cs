using System.Runtime.ExceptionServices;
using Azure;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Functions.MatchCarriers;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>The application was not found: the message that named it is not one this service sent.</summary>
public sealed class ApplicationNotFoundException(string applicationId)
    : Exception($"Application {applicationId} does not exist.");

/// <summary>
/// Decides applications, exactly once each, and undoes them on withdrawal. Every step can be repeated after a crash or a
/// redelivered message: a seat is taken only together with its reservation row, a decision is recorded only over the
/// version of the application it was made from, and a reservation found for an undecided application is its decision.
/// </summary>
public sealed partial class ApplicationProcessor(
    ApplicationStore store,
    SeatLedger seats,
    IOptionsMonitor<MatchingOptions> matching,
    IOptions<ApplicationOptions> options,
    TimeProvider time,
    ILogger<ApplicationProcessor> logger)
{
    private const int MaxDecisionAttempts = 60;

    /// <summary>A decision made at <paramref name="At"/>, and the seat (if any) taken, but not yet recorded.</summary>
    private sealed record Decided(ApplicationRecord Application, ApplicationDecision Decision, DateTimeOffset At);

    /// <summary>
    /// Decides the applications, each unless it is decided already: all at once and each on its own (one that fails does not
    /// stop the others), their decisions then recorded together, one transaction per day. Throws what the failed ones threw.
    /// </summary>
    /// <param name="redelivered">The message was delivered before (its dequeue count is above 1): an earlier attempt may have taken a seat.</param>
    public async Task ProcessAsync(IReadOnlyList<string> applicationIds, bool redelivered, CancellationToken cancellationToken)
    {
        var found = await store.GetManyAsync(applicationIds, cancellationToken);
        var deciding = applicationIds
            .Select(id => found.TryGetValue(id, out var application)
                ? DecideAsync(application, redelivered, cancellationToken)
                : Task.FromException<Decided?>(new ApplicationNotFoundException(id)))
            .ToArray();
        await ((Task)Task.WhenAll(deciding)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await RecordAllAsync([.. deciding.Where(d => d.IsCompletedSuccessfully && d.Result is not null).Select(d => d.Result!)], cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var failures = deciding.Where(d => d.IsFaulted).SelectMany(d => d.Exception!.InnerExceptions).ToList();
        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }
        if (failures.Count > 1)
        {
            throw new AggregateException($"{failures.Count} of {applicationIds.Count} applications could not be decided.", failures);
        }
    }

    /// <summary>Decides the application and takes its seat; null when it is decided already (nothing to record).</summary>
    private async Task<Decided?> DecideAsync(ApplicationRecord application, bool redelivered, CancellationToken cancellationToken)
    {
        var applicationId = application.Id;
        // Only an attempt after another (a redelivery, or a message the sweep queued again) can find a seat an earlier
        // attempt took and did not record; a racing duplicate is settled on recording.
        var again = redelivered || application.Requeued > 0;
        if (!application.Status.IsPending())
        {
            // Decided already (a redelivered message), or withdrawn or failed: no seat may stay held but the accepted one.
            // A waitlisting recorded by a duplicate while an attempt that then crashed held a seat (likely the very seat that
            // made the carrier look full) takes that seat instead.
            if (again && application.Status == ApplicationStatus.Waitlisted && await HeldSeatDecisionAsync(application, cancellationToken) is { } held)
            {
                return held;
            }
            if (again || application.Status is ApplicationStatus.Withdrawn or ApplicationStatus.Failed)
            {
                await ReleaseAllAsync(application, except: application.Status == ApplicationStatus.Accepted ? application.CarrierId : null, cancellationToken);
            }
            // An attempt that stopped between recording and forwarding left the carriers unaware: tell them (again).
            await ForwardAsync(application, cancellationToken);
            LogAlreadyDecided(logger, applicationId, application.Status);
            return null;
        }

        // After a crash between taking a seat and recording it, the reservation is the decision.
        if (again && await HeldSeatDecisionAsync(application, cancellationToken) is { } reserved)
        {
            return reserved;
        }

        var profile = application.Profile.ToProfile();
        var policy = matching.CurrentValue.ToPolicy();
        for (var attempt = 1; attempt <= MaxDecisionAttempts; attempt++)
        {
            // Choices are read in order of preference, and only until one accepts: the decision takes the first that does.
            // A carrier this instance read or wrote moments ago is not read again: an acceptance is checked by the seat's
            // ETag anyway, and any other outcome may rest on a version that recent.
            var today = ChinaStandardTime.DayOf(time.GetUtcNow());
            var states = new Dictionary<string, CarrierState?>();
            ApplicationDecision decision = null!;
            for (var read = 1; read <= application.Choices.Count; read++)
            {
                var choice = application.Choices[read - 1];
                states[choice.Id] = seats.Recent(choice) ?? await seats.GetCarrierAsync(choice, cancellationToken);
                decision = ApplicationDecision.Decide(profile, [.. application.Choices.Take(read).Select(c => new Choice(c.Id, states[c.Id]?.Carrier))], today, policy);
                if (decision.Status == ApplicationStatus.Accepted)
                {
                    break;
                }
            }
            var at = time.GetUtcNow();
            if (decision.Status == ApplicationStatus.Accepted)
            {
                var state = states[decision.AcceptedAt!]!;
                var outcome = await seats.ReserveAsync(state, decision.Claim!.Value, application, at, cancellationToken);
                if (outcome == ReserveOutcome.CarrierChanged)
                {
                    // Another decision took or gave back a seat there first. If this instance already knows the newer
                    // version, decide again at once; otherwise (another instance changed it) wait a little and read again.
                    var chosen = application.Choices.First(c => c.Id == state.Carrier.Id);
                    if (seats.Recent(chosen) is not { } newer || newer.ETag == state.ETag)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + attempt * 5)), time, cancellationToken);
                    }
                    continue;
                }
            }
            return new Decided(application, decision, at);
        }
        throw new TimeoutException($"Application {applicationId}: the chosen carriers kept changing; the message will be retried.");
    }

    /// <summary>The acceptance a seat held for the application stands for (the first choice holding one); null if none is held.</summary>
    private async Task<Decided?> HeldSeatDecisionAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        foreach (var choice in application.Choices)
        {
            if (await seats.FindAsync(choice, application.Id, cancellationToken) is { } held)
            {
                var carrier = seats.Recent(choice) ?? await seats.GetCarrierAsync(choice, cancellationToken);
                var seat = held.Claim.Describe();
                var name = carrier?.Carrier.Name ?? choice.Id;
                return new Decided(application, new ApplicationDecision(ApplicationStatus.Accepted, choice.Id, held.Claim, [],
                    [new($"{name}：符合入驻条件，已为您预留{seat.Zh}", $"{name}: you qualify, and {seat.En} are reserved for you")]), time.GetUtcNow());
            }
        }
        return null;
    }

    /// <summary>
    /// Records decisions: those of one day in one transaction, each over the version its processing read. When that fails
    /// (one of them changed meanwhile, so nothing was written), each is recorded on its own.
    /// </summary>
    private async Task RecordAllAsync(IReadOnlyList<Decided> decided, CancellationToken cancellationToken)
    {
        foreach (var group in ApplicationStore.Groups(decided, d => d.Application.Id))
        {
            if (group.Length == 1)
            {
                await RecordAsync(group[0], cancellationToken);
                continue;
            }
            var records = group.Select(d => Recorded(d.Application, d.Decision, d.At)).ToArray();
            try
            {
                await store.ReplaceAllAsync(records, cancellationToken);
            }
            catch (RequestFailedException)
            {
                await Task.WhenAll(group.Select(d => RecordAsync(d, cancellationToken)));
                continue;
            }
            await Task.WhenAll(records.Select(async record =>
            {
                await ForwardDecisionAsync(record, cancellationToken);
                LogDecided(logger, record.Id, record.Status, record.CarrierId ?? "-");
            }));
        }
    }

    /// <summary>The application with the decision in it: status, reasons, history, and the carriers it goes to.</summary>
    private static ApplicationRecord Recorded(ApplicationRecord application, ApplicationDecision decision, DateTimeOffset at) =>
        application.Then(decision.Status, at, decision.Reasons) with
        {
            CarrierId = decision.AcceptedAt ?? (decision.WaitlistedAt.Count > 0 ? decision.WaitlistedAt[0] : null),
            Claim = decision.Claim,
            ForwardedTo = decision.AcceptedAt is { } accepted ? [accepted] : decision.WaitlistedAt,
        };

    /// <summary>
    /// Records the decision over the version the processing read. If the application changed meanwhile: withdrawn or
    /// failed → give back the seat just taken; decided by a duplicate message elsewhere → keep that decision, give back
    /// a different seat; merely touched (the sweep counted a requeue) → record over the new version.
    /// </summary>
    private async Task RecordAsync(Decided made, CancellationToken cancellationToken)
    {
        var (application, decision, at) = made;
        while (true)
        {
            var decided = Recorded(application, decision, at);
            try
            {
                decided = await store.ReplaceAsync(decided, cancellationToken);
                await ForwardDecisionAsync(decided, cancellationToken);
                LogDecided(logger, decided.Id, decided.Status, decided.CarrierId ?? "-");
                return;
            }
            catch (RequestFailedException exception) when (exception.Status == 412)
            {
                application = await store.GetAsync(application.Id, cancellationToken) ?? throw new ApplicationNotFoundException(application.Id);
                if (application.Status.IsPending())
                {
                    continue;
                }
                if (decision.AcceptedAt is not null && application.Status == ApplicationStatus.Waitlisted)
                {
                    // A duplicate waitlisted it while this attempt held a seat, likely the very seat that made the carrier
                    // look full: the seat is the application's, and the acceptance is recorded over the waitlisting.
                    continue;
                }
                if (decision.AcceptedAt is { } taken && !(application.Status == ApplicationStatus.Accepted && application.CarrierId == taken))
                {
                    // Not accepted there (waitlisted, decided elsewhere, withdrawn, failed): the seat this attempt took is given back.
                    await seats.ReleaseAsync(application.Choices.First(c => c.Id == taken), application.Id, cancellationToken);
                }
                // Decided by a duplicate, or by this very attempt when the answer to its write was lost and the retry
                // met its own ETag: either way, the carriers must hear of it.
                await ForwardAsync(application, cancellationToken);
                LogAlreadyDecided(logger, application.Id, application.Status);
                return;
            }
        }
    }

    /// <summary>Withdraws the application (any seat it holds is given back). Repeating it changes nothing.</summary>
    public async Task<ApplicationRecord> WithdrawAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        while (application.Status != ApplicationStatus.Withdrawn)
        {
            var withdrawn = application.Then(ApplicationStatus.Withdrawn, time.GetUtcNow(), [new("您已撤回申请，已释放为您预留的空间（如有）", "You withdrew the application; any space held for you is released")]);
            try
            {
                application = await store.ReplaceAsync(withdrawn, cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status == 412)
            {
                application = await store.GetAsync(application.Id, cancellationToken) ?? throw new ApplicationNotFoundException(application.Id);
            }
        }
        await ReleaseAllAsync(application, except: null, cancellationToken);
        await ForwardAsync(application, cancellationToken);
        LogWithdrawn(logger, application.Id);
        return application;
    }

    /// <summary>Marks an undecided application failed (after its message failed too often), giving back any seat. Best effort.</summary>
    public async Task MarkFailedAsync(string applicationId, LocalizedText reason, CancellationToken cancellationToken)
    {
        var application = await store.GetAsync(applicationId, cancellationToken);
        while (application is { Status: ApplicationStatus.Submitted })
        {
            try
            {
                application = await store.ReplaceAsync(application.Then(ApplicationStatus.Failed, time.GetUtcNow(), [reason]), cancellationToken);
                await ReleaseAllAsync(application, except: null, cancellationToken);
                LogFailed(logger, applicationId);
            }
            catch (RequestFailedException exception) when (exception.Status == 412)
            {
                application = await store.GetAsync(applicationId, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Queues again the applications still undecided well after they were queued (a crash between storing and queuing, or
    /// a lost message), today's and yesterday's; one that was queued again too often is marked failed.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var before = now - options.Value.RequeueAfter;
        var requeued = 0;
        foreach (var day in (DateOnly[])[DateOnly.FromDateTime(now.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1)])
        {
            await foreach (var application in store.PendingAsync(day, before, cancellationToken))
            {
                if (application.Requeued >= options.Value.MaxRequeues)
                {
                    await MarkFailedAsync(application.Id, new("多次重新处理仍未完成，已转人工处理", "Still undecided after several retries; a person will follow up"), cancellationToken);
                    continue;
                }
                try
                {
                    await store.ReplaceAsync(application with { Requeued = application.Requeued + 1 }, cancellationToken);
                }
                catch (RequestFailedException exception) when (exception.Status == 412)
                {
                    continue;
                }
                await store.EnqueueAsync([application.Id], cancellationToken);
                requeued++;
                LogRequeued(logger, application.Id, application.Requeued + 1);
            }
        }
        return requeued;
    }

    /// <summary>Sends the application's current state to every carrier its decision went to; repeating it changes nothing.</summary>
    private async Task ForwardAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        foreach (var carrier in application.ForwardedTo)
        {
            await seats.ForwardAsync(application, application.Choices.First(c => c.Id == carrier), cancellationToken);
        }
    }

    /// <summary>
    /// Sends a decision just recorded to its carriers. An acceptance straight after submission needs nothing more: the seat
    /// transaction wrote the carrier's row, as accepted, together with the seat. One recorded over a waitlisting must
    /// replace the news of that.
    /// </summary>
    private Task ForwardDecisionAsync(ApplicationRecord decided, CancellationToken cancellationToken) =>
        decided is { Status: ApplicationStatus.Accepted, History: [.., var before, _] } && before.Status == ApplicationStatus.Submitted.Code()
            ? Task.CompletedTask
            : ForwardAsync(decided, cancellationToken);

    private async Task ReleaseAllAsync(ApplicationRecord application, string? except, CancellationToken cancellationToken)
    {
        foreach (var choice in application.Choices.Where(c => c.Id != except))
        {
            if (await seats.ReleaseAsync(choice, application.Id, cancellationToken))
            {
                LogReleased(logger, application.Id, choice.Id);
            }
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Application {ApplicationId} decided: {Status} at {CarrierId}")]
    private static partial void LogDecided(ILogger logger, string applicationId, ApplicationStatus status, string carrierId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Application {ApplicationId} is already {Status}; nothing to decide")]
    private static partial void LogAlreadyDecided(ILogger logger, string applicationId, ApplicationStatus status);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Application {ApplicationId} withdrawn")]
    private static partial void LogWithdrawn(ILogger logger, string applicationId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Application {ApplicationId} marked failed")]
    private static partial void LogFailed(ILogger logger, string applicationId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Application {ApplicationId} queued again by the sweep (time {Requeued})")]
    private static partial void LogRequeued(ILogger logger, string applicationId, int requeued);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Released the seat of application {ApplicationId} at {CarrierId}")]
    private static partial void LogReleased(ILogger logger, string applicationId, string carrierId);
}
