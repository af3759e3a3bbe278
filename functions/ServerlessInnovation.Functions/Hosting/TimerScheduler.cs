using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using ServerlessInnovation.Storage.Blobs;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// The standalone delivery of one timer-triggered function, with the Functions timer extension's semantics:
/// <list type="bullet">
/// <item>One instance at a time: the scheduler that holds the lease on blob <c>{Function}/lock</c> (in
/// <see cref="TimerTriggerOptions.Container"/>) runs the schedule; others try again every
/// <see cref="LeaseRetryInterval"/> and take over within that time of the holder's end.</item>
/// <item>Occurrences come from the NCRONTAB <c>schedule</c>, in UTC, and time from the <see cref="TimeProvider"/>.</item>
/// <item>With <c>useMonitor</c> the schedule status (last and next occurrence) is kept in blob <c>{Function}/status.json</c>,
/// so an occurrence missed while no instance ran is run once on start, flagged <see cref="TimerTriggerInfo.IsPastDue"/>.</item>
/// <item><c>runOnStartup</c> runs the function once when the scheduler takes the lease.</item>
/// <item>A handler's failure is logged; the next occurrence runs as scheduled.</item>
/// </list>
/// </summary>
internal sealed partial class TimerScheduler : IDisposable
{
    internal static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan LeaseRenewInterval = TimeSpan.FromSeconds(10);
    internal static readonly TimeSpan LeaseRetryInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxSingleDelay = TimeSpan.FromDays(1);

    private readonly FunctionDefinition _function;
    private readonly RegisteredTrigger _trigger;
    private readonly CronSchedule _schedule;
    private readonly BlobContainerClient _container;
    private readonly BlobClient _statusBlob;
    private readonly BlobClient _lockBlob;
    private readonly FunctionTriggerInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private bool _disposed;

    public TimerScheduler(
        FunctionDefinition function,
        RegisteredTrigger trigger,
        BlobServiceClient blobs,
        TimerTriggerOptions options,
        FunctionTriggerInvoker invoker,
        TimeProvider time,
        ILogger logger)
    {
        _function = function;
        _trigger = trigger;
        _schedule = CronSchedule.Parse(function.Trigger.Schedule
            ?? throw new InvalidOperationException($"Function '{function.Name}' has a timerTrigger without a schedule."));
        _container = blobs.GetBlobContainerClient(options.Container);
        _statusBlob = _container.GetBlobClient(function.Name + "/status.json");
        _lockBlob = _container.GetBlobClient(function.Name + "/lock");
        _invoker = invoker;
        _time = time;
        _logger = logger;
    }

    private bool UseMonitor => _function.Trigger.UseMonitor ?? true;

    public void Start() => _running = Task.Run(RunAsync);

    /// <summary>Stops scheduling; an occurrence that is running is cancelled once <paramref name="cancellationToken"/> is.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return;
        }
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        _disposed = true;
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        var firstHold = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var lease = await TryAcquireLeaseAsync(stopping);
                if (lease is null)
                {
                    await Task.Delay(LeaseRetryInterval, _time, stopping);
                    continue;
                }
                LogHoldingLease(_logger, _function.Name, _schedule.Expression);
                using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var renewing = RenewLeaseAsync(lease, leaseLost);
                try
                {
                    await ScheduleAsync(runNow: firstHold && (_function.Trigger.RunOnStartup ?? false), leaseLost.Token);
                }
                catch (OperationCanceledException) when (leaseLost.IsCancellationRequested && !stopping.IsCancellationRequested)
                {
                    LogLeaseLost(_logger, _function.Name);
                }
                finally
                {
                    firstHold = false;
                    await leaseLost.CancelAsync();
                    await renewing;
                    // Stopping or lost: let another instance take over at once rather than when the lease expires.
                    await ReleaseAsync(lease);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                // Whatever it is (the pipeline's retries end in an AggregateException), the scheduler must live on.
                LogStorageFailed(_logger, exception, _function.Name);
                try
                {
                    await Task.Delay(LeaseRetryInterval, _time, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Runs occurrences while the lease is held: returns only by throwing (cancellation or a storage failure).</summary>
    private async Task ScheduleAsync(bool runNow, CancellationToken cancellationToken)
    {
        var status = UseMonitor ? await ReadStatusAsync(cancellationToken) : null;
        var now = _time.GetUtcNow();
        if (runNow)
        {
            await InvokeAsync(new TimerTriggerInfo(false, status?.Last, _schedule.NextOccurrence(now)), cancellationToken);
        }
        else if (status?.Next is { } missed && missed <= now)
        {
            // Due while no instance ran: once, late, however many occurrences were missed.
            LogPastDue(_logger, _function.Name, missed);
            var previous = status.Last;
            status = new TimerStatus(missed, _schedule.NextOccurrence(now), now);
            await WriteStatusAsync(status, cancellationToken);
            await InvokeAsync(new TimerTriggerInfo(true, previous, status.Next), cancellationToken);
        }

        var last = status?.Last;
        var next = _schedule.NextOccurrence(_time.GetUtcNow());
        if (UseMonitor && status?.Next != next)
        {
            await WriteStatusAsync(new TimerStatus(last, next, _time.GetUtcNow()), cancellationToken);
        }
        while (true)
        {
            await DelayUntilAsync(next, cancellationToken);
            var following = _schedule.NextOccurrence(next > _time.GetUtcNow() ? next : _time.GetUtcNow());
            if (UseMonitor)
            {
                // Recorded before the run: a crash during it does not make it run again as past due.
                await WriteStatusAsync(new TimerStatus(next, following, _time.GetUtcNow()), cancellationToken);
            }
            await InvokeAsync(new TimerTriggerInfo(false, last, following), cancellationToken);
            last = next;
            next = following;
        }
    }

    private async Task InvokeAsync(TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        try
        {
            await _invoker.InvokeAsync(_trigger, timer, cancellationToken);
            LogRan(_logger, _function.Name, timer.IsPastDue, timer.Next);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, exception, _function.Name, timer.Next);
        }
    }

    private static async Task ReleaseAsync(BlobLeaseClient lease)
    {
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await lease.ReleaseAsync(patience.Token);
        }
        catch (Exception)
        {
            // Taken over already, or storage is away: it expires by itself within the lease duration.
        }
    }

    /// <summary>Waits until the clock reads <paramref name="due"/>, in steps a timer can take (one is at most 49.7 days).</summary>
    private async Task DelayUntilAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        // A timer may also fire a little early: wait again until the clock really reads the occurrence.
        for (var wait = due - _time.GetUtcNow(); wait > TimeSpan.Zero; wait = due - _time.GetUtcNow())
        {
            await Task.Delay(wait < MaxSingleDelay ? wait : MaxSingleDelay, _time, cancellationToken);
        }
    }

    private async Task<BlobLeaseClient?> TryAcquireLeaseAsync(CancellationToken cancellationToken)
    {
        var lease = _lockBlob.GetBlobLeaseClient(Guid.NewGuid().ToString());
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken);
                return lease;
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
                return null;
            }
            catch (RequestFailedException exception) when (exception.Status == 404 && attempt == 0)
            {
                await _container.CreateIfNotExistsAsync(cancellationToken);
                try
                {
                    await _lockBlob.UploadAsync(ReadOnlyMemory<byte>.Empty, cancellationToken: cancellationToken);
                }
                catch (RequestFailedException created) when (created.Status is 409 or 412)
                {
                    // Another instance created it first.
                }
            }
        }
    }

    /// <summary>Renews the lease until <paramref name="leaseLost"/> is cancelled, and cancels it when the lease cannot be kept.</summary>
    private async Task RenewLeaseAsync(BlobLeaseClient lease, CancellationTokenSource leaseLost)
    {
        var lastRenewed = _time.GetUtcNow();
        while (!leaseLost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LeaseRenewInterval, _time, leaseLost.Token);
                await lease.RenewAsync(leaseLost.Token);
                lastRenewed = _time.GetUtcNow();
            }
            catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
                // Expired and taken by another instance: it runs the schedule now.
                await leaseLost.CancelAsync();
                return;
            }
            catch (Exception exception)
            {
                LogRenewFailed(_logger, exception, _function.Name);
                if (_time.GetUtcNow() - lastRenewed >= LeaseDuration - LeaseRenewInterval)
                {
                    // It may expire before the next try: stop before two instances run at once.
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
    }

    private async Task<TimerStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = (await _statusBlob.DownloadContentAsync(cancellationToken: cancellationToken)).Value.Content;
            return JsonSerializer.Deserialize(content, TriggerJsonContext.Default.TimerStatus);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
        catch (JsonException exception)
        {
            // Unreadable status: start afresh rather than never run.
            LogStatusUnreadable(_logger, exception, _function.Name);
            return null;
        }
    }

    private async Task WriteStatusAsync(TimerStatus status, CancellationToken cancellationToken) =>
        await _statusBlob.UploadAsync(
            JsonSerializer.SerializeToUtf8Bytes(status, TriggerJsonContext.Default.TimerStatus),
            new BlobUploadOptions { Overwrite = true, ContentType = "application/json" },
            cancellationToken);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Timer {Function} is scheduled here ({Schedule})")]
    private static partial void LogHoldingLease(ILogger logger, string function, string schedule);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Timer {Function} ran (past due: {IsPastDue}); next occurrence {Next:O}")]
    private static partial void LogRan(ILogger logger, string function, bool isPastDue, DateTimeOffset? next);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "Timer {Function} failed; next occurrence {Next:O}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, DateTimeOffset? next);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Timer {Function} was due at {Due:O} while no instance ran; running it now")]
    private static partial void LogPastDue(ILogger logger, string function, DateTimeOffset due);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Timer {Function} lost its lease; another instance schedules it now")]
    private static partial void LogLeaseLost(ILogger logger, string function);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Timer {Function} could not renew its lease")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Warning, Message = "Timer {Function} cannot reach its status or lease blobs; retrying")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Warning, Message = "Timer {Function} has an unreadable status blob; starting afresh")]
    private static partial void LogStatusUnreadable(ILogger logger, Exception exception, string function);
}

/// <summary>A timer function's schedule status, as kept in <c>{Function}/status.json</c>.</summary>
/// <param name="Last">The occurrence that ran last.</param>
/// <param name="Next">The occurrence due next.</param>
/// <param name="LastUpdated">When this status was written.</param>
public sealed record TimerStatus(DateTimeOffset? Last, DateTimeOffset? Next, DateTimeOffset LastUpdated);

[JsonSerializable(typeof(TimerStatus))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class TriggerJsonContext : JsonSerializerContext;
