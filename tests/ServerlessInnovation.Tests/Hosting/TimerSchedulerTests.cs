using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>One run of <see cref="ProbeTimerHandler"/>: what it was told, and when (real time) it ran.</summary>
public sealed record TimerRun(TimerTriggerInfo Timer, DateTimeOffset At);

/// <summary>What a test's timer handler saw, and whether it fails.</summary>
public sealed class TimerProbe
{
    public bool Fails { get; init; }
    public ConcurrentQueue<TimerRun> Runs { get; } = new();
}

/// <summary>The test handler of SweepApplications: records each run; throws on each when its probe says so.</summary>
public sealed class ProbeTimerHandler(TimerProbe probe) : ITimerTriggerHandler
{
    public Task HandleAsync(TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        probe.Runs.Enqueue(new TimerRun(timer, DateTimeOffset.UtcNow));
        return probe.Fails ? throw new InvalidOperationException("the sweep failed") : Task.CompletedTask;
    }
}

/// <summary>
/// The app in-process, standalone, on the real clock, with SweepApplications handled by a <see cref="TimerProbe"/> on a
/// schedule of the test's choosing, its status and lease kept in the test's container.
/// </summary>
internal sealed class TimerApp : IAsyncDisposable
{
    public const string EverySecond = "*/1 * * * * *";

    /// <summary>Once a year: nothing runs during a test unless it is past due or run on startup.</summary>
    public const string Yearly = "0 0 0 1 1 *";

    private readonly ApiFactory _api;

    private TimerApp(ApiFactory api, WebApplicationFactory<Program> factory, TimerProbe probe)
    {
        _api = api;
        Factory = factory;
        Probe = probe;
    }

    public WebApplicationFactory<Program> Factory { get; }
    public TimerProbe Probe { get; }

    /// <param name="trigger">Changes SweepApplications' timerTrigger binding (runOnStartup, useMonitor).</param>
    /// <param name="systemClock">The real clock; otherwise the app's test clock, which reads 2026-11-22 02:00 UTC throughout while its timers run in real time.</param>
    public static async Task<TimerApp> CreateAsync(
        TimerProbe probe, string container, string schedule = EverySecond, bool enabled = true,
        Func<FunctionBinding, FunctionBinding>? trigger = null, bool systemClock = true)
    {
        var api = new ApiFactory((await Azurite.Shared).ConnectionString, new Dictionary<string, string?>
        {
            ["AzureWebJobs:SweepApplications:Disabled"] = enabled ? "false" : "true",
            ["SweepApplicationsSchedule"] = schedule,
            ["Triggers:Timers:Container"] = container,
        });
        var factory = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            // The scheduler needs a clock that moves.
            if (systemClock)
            {
                services.Replace(ServiceDescriptor.Singleton(TimeProvider.System));
            }
            services.AddSingleton(probe);
            services.AddTimerTrigger<ProbeTimerHandler>("SweepApplications");
            if (trigger is not null)
            {
                // SweepApplications/function.json with its timerTrigger binding changed.
                services.Replace(ServiceDescriptor.Singleton(provider => new FunctionManifest(
                    FunctionManifest.Load(AppContext.BaseDirectory, provider.GetRequiredService<IConfiguration>()).Functions.Select(f =>
                        f.Name == "SweepApplications" ? f with { Bindings = [.. f.Bindings.Select(b => b.IsTrigger ? trigger(b) : b)] } : f))));
            }
        }));
        return new TimerApp(api, factory, probe);
    }

    /// <summary>Starts the host, and with it the scheduler, on a thread of its own (see <see cref="ListenerApp.StartAsync"/>).</summary>
    public Task StartAsync() =>
        Task.Factory.StartNew(() => Factory.Services, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _api.DisposeAsync();
    }
}

/// <summary>
/// The standalone timer scheduler of SweepApplications against Azurite: the schedule, the status blob, one instance at a
/// time, past-due runs, run on startup, failing runs and the disabled switch. Each scenario has its own container.
/// </summary>
public sealed class TimerSchedulerTests(TimerSchedulerTests.Scenarios scenarios) : IClassFixture<TimerSchedulerTests.Scenarios>
{
    public sealed class Scenarios : ConcurrentScenarios
    {
        protected override IEnumerable<Func<Task>> All =>
        [
            RunsEverySecondAsync,
            OneInstanceAtATimeAsync,
            PastDueRunsOnceAsync,
            NotYetDueDoesNotRunAsync,
            RunOnStartupWithoutMonitorAsync,
            FailingRunsDoNotStopTheScheduleAsync,
            DisabledDoesNotRunAsync,
            ReleasesItsLeaseAtShutdownAsync,
            FarOccurrenceKeepsTheSchedulerAliveAsync,
        ];
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(8);

    private static async Task<BlobContainerClient> ContainerAsync(string name)
    {
        var azurite = await Azurite.Shared;
        return new BlobServiceClient(azurite.BlobEndpoint, new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey))
            .GetBlobContainerClient(name);
    }

    private static async Task<LeaseState?> LockStateAsync(string container) =>
        (await (await ContainerAsync(container)).GetBlobClient("SweepApplications/lock").GetPropertiesAsync()).Value.LeaseState;

    /// <summary>SweepApplications/status.json of the container; null when there is none.</summary>
    private static async Task<JsonElement?> ReadStatusAsync(string container)
    {
        try
        {
            var content = (await (await ContainerAsync(container)).GetBlobClient("SweepApplications/status.json").DownloadContentAsync()).Value.Content;
            using var document = JsonDocument.Parse(content.ToMemory());
            return document.RootElement.Clone();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    private static async Task WriteStatusAsync(string container, DateTimeOffset last, DateTimeOffset next)
    {
        var client = await ContainerAsync(container);
        await client.CreateIfNotExistsAsync();
        var json = $$"""{"last":"{{last:O}}","next":"{{next:O}}","lastUpdated":"{{last:O}}"}""";
        await client.GetBlobClient("SweepApplications/status.json").UploadAsync(
            Encoding.UTF8.GetBytes(json), new BlobUploadOptions { Overwrite = true, ContentType = "application/json" });
    }

    private static DateTimeOffset Time(JsonElement status, string name) =>
        DateTimeOffset.Parse(status.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static DateTimeOffset WholeSecondsNow()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    private static DateTimeOffset NextNewYear(DateTimeOffset now) => new(now.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void AssertWholeSecond(DateTimeOffset? time) =>
        Assert.True(time is { } t && t.Ticks % TimeSpan.TicksPerSecond == 0, $"{time:O} is not a whole second");

    [Fact]
    public Task AnEverySecondScheduleRunsRepeatedlyOnTimeAndKeepsItsStatus() => scenarios.Of(RunsEverySecondAsync);

    private static async Task RunsEverySecondAsync()
    {
        var container = Azurite.UniqueName("timers");
        await using var app = await TimerApp.CreateAsync(new TimerProbe(), container);

        await app.StartAsync();
        var started = Stopwatch.GetTimestamp();
        await Eventually.WaitAsync(() => app.Probe.Runs.Count >= 2, Patience, "the timer ran twice");
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(elapsed < TimeSpan.FromSeconds(3.5), $"two runs took {elapsed}");
        var runs = app.Probe.Runs.Take(2).ToList();
        Assert.All(runs, r => Assert.False(r.Timer.IsPastDue));
        Assert.All(runs, r => AssertWholeSecond(r.Timer.Next));
        // No status before: the first run knows no previous occurrence. The second runs the occurrence the first announced as
        // next, not before it is due, and knows the first's.
        Assert.Null(runs[0].Timer.Last);
        AssertWholeSecond(runs[1].Timer.Last);
        Assert.True(runs[1].Timer.Last < runs[0].Timer.Next);
        Assert.True(runs[1].Timer.Next > runs[0].Timer.Next);
        Assert.True(runs[1].At >= runs[0].Timer.Next, $"ran at {runs[1].At:O}, before its occurrence {runs[0].Timer.Next:O}");

        var status = Assert.NotNull(await ReadStatusAsync(container));
        Assert.Equal(["last", "next", "lastUpdated"], status.EnumerateObject().Select(p => p.Name));
        var last = Time(status, "last");
        var next = Time(status, "next");
        AssertWholeSecond(last);
        AssertWholeSecond(next);
        Assert.True(next > last, $"status next {next:O} is not after last {last:O}");
        Assert.True(last >= runs[0].Timer.Next, $"the status's last {last:O} is not the latest occurrence run");
        Assert.True(Time(status, "lastUpdated") >= last);
    }

    [Fact]
    public Task TwoInstancesSharingTheContainerNeverRunTheSameOccurrenceTwice() => scenarios.Of(OneInstanceAtATimeAsync);

    private static async Task OneInstanceAtATimeAsync()
    {
        var container = Azurite.UniqueName("timers");
        await using var first = await TimerApp.CreateAsync(new TimerProbe(), container);
        await using var second = await TimerApp.CreateAsync(new TimerProbe(), container);

        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var firstRuns = first.Probe.Runs.ToList();
        var secondRuns = second.Probe.Runs.ToList();
        var elapsed = Stopwatch.GetElapsedTime(started);

        var all = firstRuns.Concat(secondRuns).ToList();
        Assert.True(all.Count >= 2, $"only {all.Count} runs in {elapsed}");
        Assert.True(all.Count <= (int)elapsed.TotalSeconds + 1, $"{all.Count} runs in {elapsed}");
        Assert.True(firstRuns.Count == 0 || secondRuns.Count == 0, $"both instances ran: {firstRuns.Count} and {secondRuns.Count} times");
        Assert.Equal(all.Count, all.Select(r => r.Timer.Next).Distinct().Count());
    }

    [Fact]
    public Task AnOccurrenceMissedWhileNoInstanceRanRunsOnceOnStartFlaggedPastDue() => scenarios.Of(PastDueRunsOnceAsync);

    private static async Task PastDueRunsOnceAsync()
    {
        var container = Azurite.UniqueName("timers");
        var now = WholeSecondsNow();
        var last = now.AddHours(-3);
        var missed = now.AddHours(-2);
        await WriteStatusAsync(container, last, missed);
        // Yearly: the hours missed are one occurrence at most here, and nothing else runs during the test.
        await using var app = await TimerApp.CreateAsync(new TimerProbe(), container, TimerApp.Yearly);

        await app.StartAsync();
        await Eventually.WaitAsync(() => !app.Probe.Runs.IsEmpty, Patience, "the past-due occurrence ran");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var run = Assert.Single(app.Probe.Runs);
        Assert.Equal(new TimerTriggerInfo(true, last, NextNewYear(now)), run.Timer);
        var status = Assert.NotNull(await ReadStatusAsync(container));
        Assert.Equal(missed, Time(status, "last"));
        Assert.Equal(NextNewYear(now), Time(status, "next"));
    }

    [Fact]
    public Task AStatusWhoseNextOccurrenceIsStillAheadRunsNothingOnStart() => scenarios.Of(NotYetDueDoesNotRunAsync);

    private static async Task NotYetDueDoesNotRunAsync()
    {
        var container = Azurite.UniqueName("timers");
        var now = WholeSecondsNow();
        await WriteStatusAsync(container, now.AddHours(-1), now.AddHours(1));
        await using var app = await TimerApp.CreateAsync(new TimerProbe(), container, TimerApp.Yearly);

        await app.StartAsync();
        // The scheduler takes over the schedule: the status's next becomes the yearly occurrence, the last stays.
        await Eventually.WaitAsync(async () => await ReadStatusAsync(container) is { } s && Time(s, "next") == NextNewYear(now), Patience,
            "the scheduler wrote its next occurrence");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Empty(app.Probe.Runs);
        Assert.Equal(now.AddHours(-1), Time((await ReadStatusAsync(container))!.Value, "last"));
    }

    [Fact]
    public Task RunOnStartupRunsOnceAtOnceAndWithoutUseMonitorNoStatusIsKept() => scenarios.Of(RunOnStartupWithoutMonitorAsync);

    private static async Task RunOnStartupWithoutMonitorAsync()
    {
        var container = Azurite.UniqueName("timers");
        var now = WholeSecondsNow();
        await using var app = await TimerApp.CreateAsync(new TimerProbe(), container, TimerApp.Yearly,
            trigger: binding => binding with { RunOnStartup = true, UseMonitor = false });

        await app.StartAsync();
        await Eventually.WaitAsync(() => !app.Probe.Runs.IsEmpty, Patience, "the timer ran on startup");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var run = Assert.Single(app.Probe.Runs);
        Assert.Equal(new TimerTriggerInfo(false, null, NextNewYear(now)), run.Timer);
        Assert.Null(await ReadStatusAsync(container));
        Assert.True((await (await ContainerAsync(container)).GetBlobClient("SweepApplications/lock").ExistsAsync()).Value);
    }

    [Fact]
    public Task AFailingRunDoesNotStopTheSchedule() => scenarios.Of(FailingRunsDoNotStopTheScheduleAsync);

    private static async Task FailingRunsDoNotStopTheScheduleAsync()
    {
        await using var app = await TimerApp.CreateAsync(new TimerProbe { Fails = true }, Azurite.UniqueName("timers"));

        await app.StartAsync();
        var started = Stopwatch.GetTimestamp();
        await Eventually.WaitAsync(() => app.Probe.Runs.Count >= 3, Patience, "the failing timer ran three times");
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(elapsed < TimeSpan.FromSeconds(4.5), $"three runs took {elapsed}");
        var runs = app.Probe.Runs.Take(3).ToList();
        Assert.All(runs, r => Assert.False(r.Timer.IsPastDue));
        Assert.True(runs[0].Timer.Next < runs[1].Timer.Next && runs[1].Timer.Next < runs[2].Timer.Next);
        // A failed run still counts as run: the one after it knows it as the last occurrence.
        Assert.Equal(runs[0].Timer.Next, runs[2].Timer.Last);
    }

    [Fact]
    public Task WhenSweepApplicationsIsDisabledNothingRunsAndNothingIsWritten() => scenarios.Of(DisabledDoesNotRunAsync);

    private static async Task DisabledDoesNotRunAsync()
    {
        var container = Azurite.UniqueName("timers");
        await using var app = await TimerApp.CreateAsync(new TimerProbe(), container, enabled: false);

        await app.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Empty(app.Probe.Runs);
        Assert.Null(await ReadStatusAsync(container));
    }

    [Fact]
    public Task AtShutdownTheSchedulerReleasesItsLeaseSoAnotherInstanceCanTakeOverAtOnce() => scenarios.Of(ReleasesItsLeaseAtShutdownAsync);

    private static async Task ReleasesItsLeaseAtShutdownAsync()
    {
        var container = Azurite.UniqueName("timers");
        await using (var app = await TimerApp.CreateAsync(new TimerProbe(), container))
        {
            await app.StartAsync();
            await Eventually.WaitAsync(() => !app.Probe.Runs.IsEmpty, Patience, "the timer ran");
            Assert.Equal(LeaseState.Leased, await LockStateAsync(container));
        }

        // Otherwise the next instance takes over only once the 30 s lease has expired and it tries again (every 15 s).
        var state = await LockStateAsync(container);
        Assert.True(state == LeaseState.Available, $"after shutdown the lease on SweepApplications/lock is {state}, not released");
    }

    [Fact]
    public Task AnOccurrenceMoreThanFortyNineDaysAwayIsAwaitedWithoutTheSchedulerFailing() => scenarios.Of(FarOccurrenceKeepsTheSchedulerAliveAsync);

    private static async Task FarOccurrenceKeepsTheSchedulerAliveAsync()
    {
        // On the app's test clock (2026-11-22 02:00 UTC) the next 1 June is 191 days away: longer than the longest single
        // timer .NET has (2^32 - 2 ms, about 49.7 days). A yearly or quarterly schedule is as valid as an every-minute one.
        var container = Azurite.UniqueName("timers");
        var firstOfJune = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var app = await TimerApp.CreateAsync(new TimerProbe(), container, "0 0 0 1 6 *", systemClock: false))
        {
            await app.StartAsync();
            await Eventually.WaitAsync(async () => await ReadStatusAsync(container) is { } s && Time(s, "next") == firstOfJune, Patience,
                "the scheduler recorded 1 June as its next occurrence");
            await Task.Delay(TimeSpan.FromSeconds(0.5));
            Assert.Empty(app.Probe.Runs);
            // Still scheduling, so still holding the lease: no other instance may take over.
            var running = await LockStateAsync(container);
            Assert.True(running == LeaseState.Leased, $"while the app runs, the lease on SweepApplications/lock is {running}");
        }

        // A scheduler still waiting for 1 June is stopped by the shutdown and releases its lease. One whose wait failed
        // (ArgumentOutOfRangeException from Task.Delay) ended silently, and either released the lease as it ended (above) or
        // holds it until it expires.
        var state = await LockStateAsync(container);
        Assert.True(state == LeaseState.Available,
            $"after shutdown the lease on SweepApplications/lock is {state}: the scheduler was no longer running to release it " +
            "(or does not release it at all: see AtShutdownTheSchedulerReleasesItsLeaseSoAnotherInstanceCanTakeOverAtOnce)");
    }
}
