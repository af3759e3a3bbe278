using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Azure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Tests.Infrastructure;
using ServerlessInnovation.Tests.Storage;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>
/// Starts every scenario of a test class together when the class starts, so that the class takes about as long as its
/// slowest scenario instead of their sum: the listener and scheduler scenarios mostly wait (for polls, visibility timeouts,
/// cron seconds), and xUnit runs only as many tests at once as there are processors. Each test awaits its own scenario,
/// whose assertions fail that test alone. Run alone (a filter), a test still starts its class's other scenarios.
/// </summary>
public abstract class ConcurrentScenarios : IAsyncLifetime
{
    private readonly Dictionary<MethodInfo, Task> _running = [];

    /// <summary>The scenarios: static methods of the test class that arrange, act and assert.</summary>
    protected abstract IEnumerable<Func<Task>> All { get; }

    /// <summary>The running (or finished) <paramref name="scenario"/>.</summary>
    public Task Of(Func<Task> scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return _running[scenario.Method];
    }

    public Task InitializeAsync()
    {
        foreach (var scenario in All)
        {
            _running.Add(scenario.Method, Task.Run(scenario));
        }
        return Task.CompletedTask;
    }

    // Every app is stopped before the next test class runs; failures were reported by the tests that awaited them.
    public Task DisposeAsync() => Task.WhenAll(_running.Values).ContinueWith(static _ => { }, TaskScheduler.Default);
}

/// <summary>Polling for a condition with a generous deadline, failing with what was awaited.</summary>
internal static class Eventually
{
    public static Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds:0.#} s in vain until {what}.");
            }
            await Task.Delay(20);
        }
    }
}

/// <summary>One delivery to <see cref="ProbeQueueHandler"/>: the message and when the handler started.</summary>
public sealed record QueueDelivery(QueueTriggerMessage Message, long Timestamp);

/// <summary>What a test's queue handler does and saw: deliveries, completions, cancellations, the most handlers at once.</summary>
public sealed class QueueProbe
{
    private int _running;
    private int _maxRunning;

    /// <summary>What the handler does with each message; by default it succeeds at once.</summary>
    public Func<QueueTriggerMessage, CancellationToken, Task> Behaviour { get; init; } = static (_, _) => Task.CompletedTask;

    public ConcurrentQueue<QueueDelivery> Deliveries { get; } = new();

    /// <summary>Texts whose handler returned normally.</summary>
    public ConcurrentQueue<string> Completed { get; } = new();

    /// <summary>Texts whose handler ended by the cancellation of its token.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public IEnumerable<QueueTriggerMessage> Of(string text) => Deliveries.Select(d => d.Message).Where(m => m.Text == text);

    internal async Task HandleAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        Deliveries.Enqueue(new QueueDelivery(message, Stopwatch.GetTimestamp()));
        var running = Interlocked.Increment(ref _running);
        for (var max = Volatile.Read(ref _maxRunning); running > max; max = Volatile.Read(ref _maxRunning))
        {
            Interlocked.CompareExchange(ref _maxRunning, running, max);
        }
        try
        {
            await Behaviour(message, cancellationToken);
            Completed.Enqueue(message.Text);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Cancelled.Enqueue(message.Text);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>The test handler of ProcessApplication: does what its app's <see cref="QueueProbe"/> says.</summary>
public sealed class ProbeQueueHandler(QueueProbe probe) : IQueueTriggerHandler
{
    public Task HandleAsync(QueueTriggerMessage message, CancellationToken cancellationToken) => probe.HandleAsync(message, cancellationToken);
}

/// <summary>
/// The app in-process, standalone, with ProcessApplication handled by a <see cref="QueueProbe"/>, listening on its own
/// applications queue with fast settings. The host starts at <see cref="StartAsync"/>, so a test can prepare the queue first.
/// </summary>
internal sealed class ListenerApp : IAsyncDisposable
{
    private readonly ApiFactory _api;

    private ListenerApp(ApiFactory api, WebApplicationFactory<Program> factory, QueueProbe probe)
    {
        _api = api;
        Factory = factory;
        Probe = probe;
    }

    public WebApplicationFactory<Program> Factory { get; }
    public QueueProbe Probe { get; }
    public string QueueName => _api.ApplicationsQueue;

    /// <summary>Fast polling, immediate retries, 2 s of processing invisibility, poison on the third failure.</summary>
    public static Dictionary<string, string?> FastSettings() => new()
    {
        ["AzureWebJobs:ProcessApplication:Disabled"] = "false",
        ["Triggers:Queues:MaxPollingInterval"] = "00:00:00.200",
        ["Triggers:Queues:VisibilityTimeout"] = "00:00:00",
        ["Triggers:Queues:ProcessingVisibilityTimeout"] = "00:00:02",
        ["Triggers:Queues:MaxDequeueCount"] = "3",
    };

    public static async Task<ListenerApp> CreateAsync(
        QueueProbe probe, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var api = new ApiFactory((await Azurite.Shared).ConnectionString, settings ?? FastSettings());
        var factory = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(probe);
            services.AddQueueTrigger<ProbeQueueHandler>("ProcessApplication");
            configure?.Invoke(services);
        }));
        return new ListenerApp(api, factory, probe);
    }

    /// <summary>Starts the host (and with it the listener).</summary>
    public Task StartAsync() =>
        // Starting blocks a thread until the host has started: a thread of its own, so that scenarios starting together do
        // not starve the thread pool their hosts need.
        Task.Factory.StartNew(() => Factory.Services, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Stops the host as the process would at shutdown.</summary>
    public Task StopAsync() => Factory.DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _api.DisposeAsync();
    }
}

/// <summary>
/// The standalone queue listener of ProcessApplication against Azurite: delivery, retries, poison, batches, renewed
/// invisibility, shutdown, the send-notification and the disabled switch. Each scenario runs its own app on its own queue.
/// </summary>
public sealed class QueueListenerTests(QueueListenerTests.Scenarios scenarios) : IClassFixture<QueueListenerTests.Scenarios>
{
    public sealed class Scenarios : ConcurrentScenarios
    {
        protected override IEnumerable<Func<Task>> All =>
        [
            HandledOnceThenDeletedAsync,
            AlwaysFailingGoesToPoisonAsync,
            VisibilityTimeoutDelaysRetriesNotPoisonAsync,
            UndecodableGoesToPoisonAsync,
            ReceivedTooOftenGoesToPoisonAsync,
            BatchLimitsConcurrencyAsync,
            LongHandlerKeepsItsMessageAsync,
            ShutdownLetsAHandlerFinishAsync,
            ShutdownCancelsAtTheDeadlineAsync,
            NotifiedSendIsHandledAtOnceAsync,
            DisabledReceivesNothingAsync,
            DisabledWithTheDottedSettingReceivesNothingAsync,
        ];
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(8);

    private static async Task<QueueClient> QueueAsync(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var queue = (await QueueClientIntegrationTests.ServiceAsync(encoding)).GetQueueClient(name);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    /// <summary>All messages of the queue, invisible ones included (Azurite counts them as the service does).</summary>
    private static async Task<long> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>The visible messages of a queue; none when the queue does not exist.</summary>
    private static async Task<PeekedMessage[]> PeekAsync(string queueName, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var queue = (await QueueClientIntegrationTests.ServiceAsync(encoding)).GetQueueClient(queueName);
        try
        {
            return (await queue.PeekMessagesAsync(32)).Value;
        }
        catch (RequestFailedException exception) when (exception is { Status: 404, ErrorCode: "QueueNotFound" })
        {
            return [];
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string NewText(string what) => $$"""{"applicationId":"{{what}}-{{Guid.NewGuid():N}}","startup":"杭州云栖科技"}""";

    [Fact]
    public Task AMessageIsHandledOnceWithItsDecodedTextAndDequeueCountOneThenDeleted() => scenarios.Of(HandledOnceThenDeletedAsync);

    private static async Task HandledOnceThenDeletedAsync()
    {
        await using var app = await ListenerApp.CreateAsync(new QueueProbe());
        var queue = await QueueAsync(app.QueueName);
        var text = NewText("once");
        var sent = (await queue.SendMessageAsync(text)).Value;

        await app.StartAsync();
        await Eventually.WaitAsync(() => !app.Probe.Completed.IsEmpty, Patience, "the message was handled");
        await Eventually.WaitAsync(async () => await CountAsync(queue) == 0, Patience, "the handled message was deleted");

        var message = Assert.Single(app.Probe.Deliveries).Message;
        Assert.Equal(text, message.Text);
        Assert.Equal(sent.MessageId, message.Id);
        Assert.Equal(1, message.DequeueCount);
        Assert.False(string.IsNullOrEmpty(message.PopReceipt));
        Assert.Equal(sent.InsertionTime, message.InsertedOn);
        Assert.Equal(sent.ExpirationTime, message.ExpiresOn);
        Assert.Empty(await PeekAsync(queue.PoisonQueueName));
    }

    [Fact]
    public Task AMessageThatAlwaysFailsIsTriedMaxDequeueCountTimesThenMovedToPoisonAndTheListenerGoesOn() =>
        scenarios.Of(AlwaysFailingGoesToPoisonAsync);

    private static async Task AlwaysFailingGoesToPoisonAsync()
    {
        var failing = NewText("boom");
        var probe = new QueueProbe
        {
            Behaviour = (message, _) => message.Text == failing ? throw new InvalidOperationException("always fails") : Task.CompletedTask,
        };
        await using var app = await ListenerApp.CreateAsync(probe);
        var queue = await QueueAsync(app.QueueName);
        var sent = (await queue.SendMessageAsync(failing)).Value;

        await app.StartAsync();
        await Eventually.WaitAsync(async () => (await PeekAsync(queue.PoisonQueueName)).Length > 0, Patience, "the failing message reached the poison queue");

        Assert.Equal([1L, 2L, 3L], probe.Of(failing).Select(m => m.DequeueCount));
        Assert.All(probe.Of(failing), m => Assert.Equal(sent.MessageId, m.Id));
        Assert.Equal(0, await CountAsync(queue));
        var poisoned = Assert.Single(await PeekAsync(queue.PoisonQueueName));
        Assert.Equal(failing, poisoned.MessageText);
        var stored = Assert.Single(await PeekAsync(queue.PoisonQueueName, QueueMessageEncoding.None));
        Assert.Equal(Base64(failing), stored.MessageText);

        var good = NewText("after-poison");
        await queue.SendMessageAsync(good);
        await Eventually.WaitAsync(() => probe.Completed.Contains(good), Patience, "a good message sent after the poisoned one was handled");
        await Eventually.WaitAsync(async () => await CountAsync(queue) == 0, Patience, "the good message was deleted");
        Assert.Equal(3, probe.Of(failing).Count());
        Assert.Equal(1, Assert.Single(probe.Of(good)).DequeueCount);
    }

    [Fact]
    public Task AFailedMessageWaitsTheVisibilityTimeoutButItsLastAllowedFailurePoisonsItAtOnce() =>
        scenarios.Of(VisibilityTimeoutDelaysRetriesNotPoisonAsync);

    private static async Task VisibilityTimeoutDelaysRetriesNotPoisonAsync()
    {
        var settings = ListenerApp.FastSettings();
        settings["Triggers:Queues:VisibilityTimeout"] = "00:00:30";
        settings["Triggers:Queues:MaxDequeueCount"] = "2";
        var probe = new QueueProbe { Behaviour = static (_, _) => throw new InvalidOperationException("always fails") };
        await using var app = await ListenerApp.CreateAsync(probe, settings);
        var queue = await QueueAsync(app.QueueName);
        var last = NewText("last-try");
        await queue.SendMessageAsync(last);
        // Its first try was a receiver that died: the listener's receipt is its second and last allowed one.
        var received = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
        await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero);
        var first = NewText("first-try");
        await queue.SendMessageAsync(first);

        await app.StartAsync();
        await Eventually.WaitAsync(async () => (await PeekAsync(queue.PoisonQueueName)).Length > 0, Patience,
            "the message that failed its last allowed try reached the poison queue (without waiting the 30 s visibility timeout)");
        await Eventually.WaitAsync(() => probe.Of(first).Any(), Patience, "the fresh message was tried");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(2, Assert.Single(probe.Of(last)).DequeueCount);
        Assert.Equal(last, Assert.Single(await PeekAsync(queue.PoisonQueueName)).MessageText);
        // The fresh message failed once and waits out its 30 s: invisible, still queued, not retried, not poisoned.
        Assert.Equal(1, Assert.Single(probe.Of(first)).DequeueCount);
        Assert.Empty(await PeekAsync(queue.Name));
        Assert.Equal(1, await CountAsync(queue));
    }

    [Fact]
    public Task AMessageThatIsNotBase64GoesToPoisonAsStoredWithoutRunningTheHandler() => scenarios.Of(UndecodableGoesToPoisonAsync);

    private static async Task UndecodableGoesToPoisonAsync()
    {
        // Long processing invisibility: a message that is not poisoned on its first receipt cannot reach poison in time.
        var settings = ListenerApp.FastSettings();
        settings["Triggers:Queues:ProcessingVisibilityTimeout"] = "00:00:30";
        await using var app = await ListenerApp.CreateAsync(new QueueProbe(), settings);
        var queue = await QueueAsync(app.QueueName);
        var raw = await QueueAsync(app.QueueName, QueueMessageEncoding.None);
        var before = NewText("before");
        var undecodable = $"not base64: {Guid.NewGuid()} !*";
        var after = NewText("after");
        await queue.SendMessageAsync(before);
        await raw.SendMessageAsync(undecodable);
        await queue.SendMessageAsync(after);

        await app.StartAsync();
        await Eventually.WaitAsync(async () => (await PeekAsync(queue.PoisonQueueName)).Length > 0, Patience, "the undecodable message reached the poison queue");
        await Eventually.WaitAsync(() => app.Probe.Completed.Count == 2, Patience, "both good messages were handled");
        await Eventually.WaitAsync(async () => await CountAsync(queue) == 0, Patience, "the queue was emptied");

        Assert.Equal(new[] { after, before }.Order(), app.Probe.Deliveries.Select(d => d.Message.Text).Order());
        Assert.All(app.Probe.Deliveries, d => Assert.Equal(1, d.Message.DequeueCount));
        var poisoned = Assert.Single(await PeekAsync(queue.PoisonQueueName, QueueMessageEncoding.None));
        Assert.Equal(undecodable, poisoned.MessageText);
    }

    [Fact]
    public Task AMessageReceivedMoreThanMaxDequeueCountTimesGoesToPoisonWithoutRunningTheHandler() =>
        scenarios.Of(ReceivedTooOftenGoesToPoisonAsync);

    private static async Task ReceivedTooOftenGoesToPoisonAsync()
    {
        var settings = ListenerApp.FastSettings();
        settings["Triggers:Queues:ProcessingVisibilityTimeout"] = "00:00:30";
        await using var app = await ListenerApp.CreateAsync(new QueueProbe(), settings);
        var queue = await QueueAsync(app.QueueName);
        var worn = NewText("worn");
        await queue.SendMessageAsync(worn);
        // Received three times (MaxDequeueCount) by receivers that died: each time it became visible again unfinished.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var received = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
            Assert.Equal(attempt, received.DequeueCount);
            await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero);
        }
        var good = NewText("fresh");
        await queue.SendMessageAsync(good);

        await app.StartAsync();
        await Eventually.WaitAsync(async () => (await PeekAsync(queue.PoisonQueueName)).Length > 0, Patience, "the worn message reached the poison queue");
        await Eventually.WaitAsync(() => app.Probe.Completed.Contains(good), Patience, "the fresh message was handled");
        await Eventually.WaitAsync(async () => await CountAsync(queue) == 0, Patience, "the queue was emptied");

        Assert.Empty(app.Probe.Of(worn));
        Assert.Single(app.Probe.Deliveries);
        var poisoned = Assert.Single(await PeekAsync(queue.PoisonQueueName, QueueMessageEncoding.None));
        Assert.Equal(Base64(worn), poisoned.MessageText);
    }

    [Fact]
    public Task WithBatchSizeTwoAndNewBatchThresholdZeroAtMostTwoHandlersRunAtOnce() => scenarios.Of(BatchLimitsConcurrencyAsync);

    private static async Task BatchLimitsConcurrencyAsync()
    {
        var settings = ListenerApp.FastSettings();
        settings["Triggers:Queues:BatchSize"] = "2";
        settings["Triggers:Queues:NewBatchThreshold"] = "0";
        var probe = new QueueProbe { Behaviour = static (_, token) => Task.Delay(150, token) };
        await using var app = await ListenerApp.CreateAsync(probe, settings);
        var queue = await QueueAsync(app.QueueName);
        var texts = Enumerable.Range(1, 10).Select(i => NewText("slow" + i)).ToList();
        foreach (var text in texts)
        {
            await queue.SendMessageAsync(text);
        }

        await app.StartAsync();
        await Eventually.WaitAsync(() => probe.Completed.Count == 10, Patience, "all ten messages were handled");
        await Eventually.WaitAsync(async () => await CountAsync(queue) == 0, Patience, "the queue was emptied");

        Assert.Equal(2, probe.MaxRunning);
        Assert.Equal(texts.Order(), probe.Deliveries.Select(d => d.Message.Text).Order());
        Assert.All(probe.Deliveries, d => Assert.Equal(1, d.Message.DequeueCount));
    }

    [Fact]
    public Task AHandlerRunningLongerThanTheProcessingVisibilityTimeoutKeepsItsMessageInvisible() => scenarios.Of(LongHandlerKeepsItsMessageAsync);

    private static async Task LongHandlerKeepsItsMessageAsync()
    {
        // 3 s of work against 2 s of invisibility: unless it is renewed, the message is visible again after 2 s and the
        // listener, polling every 200 ms, receives it a second time while the first handler still runs.
        var probe = new QueueProbe { Behaviour = static (_, token) => Task.Delay(3000, token) };
        await using var app = await ListenerApp.CreateAsync(probe);
        var queue = await QueueAsync(app.QueueName);
        var text = NewText("long");
        await queue.SendMessageAsync(text);

        await app.StartAsync();
        await Eventually.WaitAsync(() => !probe.Deliveries.IsEmpty, Patience, "the handler started");
        var started = Assert.Single(probe.Deliveries).Timestamp;
        var untilRedelivery = TimeSpan.FromMilliseconds(2500) - Stopwatch.GetElapsedTime(started);
        if (untilRedelivery > TimeSpan.Zero)
        {
            await Task.Delay(untilRedelivery);
        }
        Assert.Empty(await PeekAsync(queue.Name));
        Assert.Equal(1, await CountAsync(queue));
        Assert.Empty(probe.Completed);

        await Eventually.WaitAsync(() => !probe.Completed.IsEmpty, Patience, "the long handler finished");
        await Eventually.WaitAsync(async () => await CountAsync(queue) == 0, Patience, "the message was deleted with its renewed pop receipt");
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(3));
        Assert.Equal(1, Assert.Single(probe.Deliveries).Message.DequeueCount);
    }

    [Fact]
    public Task AtShutdownAHandlerThatFinishesBeforeTheDeadlineCompletesAndItsMessageIsDeleted() => scenarios.Of(ShutdownLetsAHandlerFinishAsync);

    private static async Task ShutdownLetsAHandlerFinishAsync()
    {
        var probe = new QueueProbe { Behaviour = static (_, token) => Task.Delay(700, token) };
        await using var app = await ListenerApp.CreateAsync(probe, configure: services =>
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5)));
        var queue = await QueueAsync(app.QueueName);
        var text = NewText("finishing");
        await queue.SendMessageAsync(text);

        await app.StartAsync();
        await Eventually.WaitAsync(() => !probe.Deliveries.IsEmpty, Patience, "the handler started");
        var stopping = Stopwatch.GetTimestamp();
        await app.StopAsync();

        Assert.Equal([text], probe.Completed);
        Assert.Empty(probe.Cancelled);
        Assert.True(Stopwatch.GetElapsedTime(stopping) < TimeSpan.FromSeconds(4), "the host waited for the handler, not for the deadline");
        Assert.Equal(0, await CountAsync(queue));
        Assert.Empty(await PeekAsync(queue.PoisonQueueName));
    }

    [Fact]
    public Task AtTheShutdownDeadlineAHandlerStillRunningIsCancelledAndItsMessageReleased() => scenarios.Of(ShutdownCancelsAtTheDeadlineAsync);

    private static async Task ShutdownCancelsAtTheDeadlineAsync()
    {
        var probe = new QueueProbe { Behaviour = static (_, token) => Task.Delay(Timeout.Infinite, token) };
        await using var app = await ListenerApp.CreateAsync(probe, configure: services =>
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        var queue = await QueueAsync(app.QueueName);
        var text = NewText("stuck");
        var sent = (await queue.SendMessageAsync(text)).Value;

        await app.StartAsync();
        await Eventually.WaitAsync(() => !probe.Deliveries.IsEmpty, Patience, "the handler started");
        var stopping = Stopwatch.GetTimestamp();
        await app.StopAsync();
        var stopped = Stopwatch.GetElapsedTime(stopping);

        Assert.Equal([text], probe.Cancelled);
        Assert.Empty(probe.Completed);
        Assert.True(stopped >= TimeSpan.FromSeconds(0.9), $"cancelled after {stopped}, before the 1 s deadline");
        Assert.True(stopped < TimeSpan.FromSeconds(6), $"shutdown took {stopped}");
        // Released for another instance at once: visible again, not counted as a failure, not poisoned.
        var released = Assert.Single(await PeekAsync(queue.Name));
        Assert.Equal(sent.MessageId, released.MessageId);
        Assert.Equal(text, released.MessageText);
        Assert.Equal(1, released.DequeueCount);
        Assert.Empty(await PeekAsync(queue.PoisonQueueName));
        Assert.Single(probe.Deliveries);
    }

    [Fact]
    public Task AMessageTheAppEnqueuesIsHandledAtOnceThoughTheListenerHasBackedOff() => scenarios.Of(NotifiedSendIsHandledAtOnceAsync);

    private static async Task NotifiedSendIsHandledAtOnceAsync()
    {
        var settings = ListenerApp.FastSettings();
        settings["Triggers:Queues:MaxPollingInterval"] = "00:00:30";
        await using var app = await ListenerApp.CreateAsync(new QueueProbe(), settings);
        await app.StartAsync();
        var store = app.Factory.Services.GetRequiredService<ApplicationStore>();
        await store.EnqueueAsync(["warm-up"], CancellationToken.None);
        await Eventually.WaitAsync(() => !app.Probe.Completed.IsEmpty, Patience, "the first message was handled");

        // Idle: the back-off (100 ms doubling) is at about 3.2 s by now, so a poll would find the next message only seconds later.
        await Task.Delay(TimeSpan.FromSeconds(3.3));
        var sending = Stopwatch.GetTimestamp();
        await store.EnqueueAsync(["prompt"], CancellationToken.None);
        await Eventually.WaitAsync(() => app.Probe.Deliveries.Count == 2, Patience, "the second message was handled");

        var delivery = app.Probe.Deliveries.Last();
        Assert.Contains("\"prompt\"", delivery.Message.Text, StringComparison.Ordinal);
        var latency = Stopwatch.GetElapsedTime(sending, delivery.Timestamp);
        Assert.True(latency < TimeSpan.FromSeconds(1), $"handled {latency} after it was enqueued");
    }

    [Fact]
    public Task WhenProcessApplicationIsDisabledNothingIsReceived() => scenarios.Of(DisabledReceivesNothingAsync);

    private static Task DisabledReceivesNothingAsync()
    {
        var settings = ListenerApp.FastSettings();
        settings["AzureWebJobs:ProcessApplication:Disabled"] = "true";
        return AssertNothingReceivedAsync(settings);
    }

    [Fact]
    public Task TheDottedDisabledSettingAlsoTurnsTheListenerOff() => scenarios.Of(DisabledWithTheDottedSettingReceivesNothingAsync);

    private static Task DisabledWithTheDottedSettingReceivesNothingAsync()
    {
        var settings = ListenerApp.FastSettings();
        settings["AzureWebJobs.ProcessApplication.Disabled"] = "True";
        return AssertNothingReceivedAsync(settings);
    }

    private static async Task AssertNothingReceivedAsync(Dictionary<string, string?> settings)
    {
        await using var app = await ListenerApp.CreateAsync(new QueueProbe(), settings);
        var queue = await QueueAsync(app.QueueName);
        var sent = (await queue.SendMessageAsync(NewText("ignored"))).Value;

        await app.StartAsync();
        app.Factory.Services.GetRequiredService<QueueMessageWatcher>().Notify(queue.Name);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Empty(app.Probe.Deliveries);
        var waiting = Assert.Single(await PeekAsync(queue.Name));
        Assert.Equal(sent.MessageId, waiting.MessageId);
        Assert.Equal(0, waiting.DequeueCount);
    }

    [Fact]
    public void PollingBacksOffFromOneHundredMillisecondsDoublingUpToTheMaximum()
    {
        var max = TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.FromMilliseconds(100), QueueListener.NextPollingDelay(TimeSpan.Zero, max));
        Assert.Equal(TimeSpan.FromMilliseconds(100), QueueListener.NextPollingDelay(TimeSpan.FromMilliseconds(40), max));
        Assert.Equal(TimeSpan.FromMilliseconds(100), QueueListener.NextPollingDelay(TimeSpan.Zero, TimeSpan.FromMilliseconds(100)));

        for (var run = 0; run < 50; run++)
        {
            var delays = new List<TimeSpan>();
            var delay = TimeSpan.Zero;
            for (var step = 0; step < 12; step++)
            {
                delay = QueueListener.NextPollingDelay(delay, max);
                delays.Add(delay);
            }
            // Doubling with at most 20 % jitter: 100, 180–220, … and never past the maximum, which it reaches and keeps.
            Assert.Equal(TimeSpan.FromMilliseconds(100), delays[0]);
            Assert.InRange(delays[1].TotalMilliseconds, 180, 220);
            for (var i = 1; i < delays.Count; i++)
            {
                Assert.True(delays[i] <= max, $"{delays[i]} exceeds the maximum {max}");
                Assert.True(delays[i] == max || delays[i] >= delays[i - 1] * 1.8, $"{delays[i]} after {delays[i - 1]} did not grow enough");
                Assert.True(delays[i] <= delays[i - 1] * 2.2, $"{delays[i]} after {delays[i - 1]} grew too fast");
            }
            Assert.Equal(max, delays[^1]);
        }
        Assert.Equal(max, QueueListener.NextPollingDelay(max, max));
        Assert.Equal(max, QueueListener.NextPollingDelay(TimeSpan.FromMinutes(5), max));
    }
}
