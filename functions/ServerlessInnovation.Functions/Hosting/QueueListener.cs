using System.Collections.Concurrent;
using Azure;
using ServerlessInnovation.Storage.Queues;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// The standalone delivery of one queue-triggered function, with the Functions queue extension's semantics:
/// <list type="bullet">
/// <item>Receives up to <see cref="QueueTriggerOptions.BatchSize"/> messages at a time and handles them in parallel, receiving
/// the next batch once no more than <see cref="QueueTriggerOptions.EffectiveNewBatchThreshold"/> are in flight.</item>
/// <item>Polls again at once while messages come; on an empty queue (or a storage failure) backs off from 100 ms, doubling,
/// to <see cref="QueueTriggerOptions.MaxPollingInterval"/> — and wakes at once when this process sends to the queue.</item>
/// <item>Keeps a message invisible while its handler runs (renewed at half of
/// <see cref="QueueTriggerOptions.ProcessingVisibilityTimeout"/>); deletes it on success; on failure makes it visible again
/// after <see cref="QueueTriggerOptions.VisibilityTimeout"/>, or moves it to <c>&lt;queue&gt;-poison</c> on the
/// <see cref="QueueTriggerOptions.MaxDequeueCount"/>th failure. A message received more often than that (its handler's
/// process died each time), or one whose text cannot be decoded, goes to poison without running the handler.</item>
/// <item>On shutdown stops receiving, lets in-flight handlers finish until the host's shutdown deadline, then cancels the
/// rest and releases their messages for another instance.</item>
/// </list>
/// </summary>
internal sealed partial class QueueListener : IDisposable
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    private readonly FunctionDefinition _function;
    private readonly RegisteredTrigger _trigger;
    private readonly QueueClient _queue;
    private readonly QueueTriggerOptions _options;
    private readonly FunctionTriggerInvoker _invoker;
    private readonly QueueMessageWatcher _watcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly CancellationTokenSource _abortHandlers = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly SemaphoreSlim _slotFreed = new(0);
    private Task _receiving = Task.CompletedTask;
    private bool _disposed;

    public QueueListener(
        FunctionDefinition function,
        RegisteredTrigger trigger,
        QueueServiceClient queues,
        QueueTriggerOptions options,
        FunctionTriggerInvoker invoker,
        QueueMessageWatcher watcher,
        TimeProvider time,
        ILogger logger)
    {
        _function = function;
        _trigger = trigger;
        _queue = queues.GetQueueClient(function.Trigger.QueueName
            ?? throw new InvalidOperationException($"Function '{function.Name}' has a queueTrigger without a queueName."));
        _options = options;
        _invoker = invoker;
        _watcher = watcher;
        _time = time;
        _logger = logger;
    }

    public string QueueName => _queue.Name;

    public void Start()
    {
        LogListening(_logger, _function.Name, _queue.Name, _options.BatchSize, _options.MaxDequeueCount, _options.MaxPollingInterval);
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Stops receiving and drains; <paramref name="cancellationToken"/> is the host's shutdown deadline.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return;
        }
        await _stopReceiving.CancelAsync();
        await _receiving;
        var inFlight = Task.WhenAll(_inFlight.Keys);
        try
        {
            await inFlight.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogAborting(_logger, _function.Name, _inFlight.Count);
            await _abortHandlers.CancelAsync();
            // Each aborted handler releases its message; that takes one request each.
            await inFlight.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
        LogStopped(_logger, _function.Name);
    }

    public void Dispose()
    {
        _disposed = true;
        _stopReceiving.Dispose();
        _abortHandlers.Dispose();
        _slotFreed.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var stopping = _stopReceiving.Token;
        var delay = TimeSpan.Zero;
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                while (_inFlight.Count > _options.EffectiveNewBatchThreshold)
                {
                    await _slotFreed.WaitAsync(stopping);
                }

                QueueMessage[] messages;
                try
                {
                    messages = (await _queue.ReceiveMessagesAsync(_options.BatchSize, _options.ProcessingVisibilityTimeout, stopping)).Value;
                    if (failing)
                    {
                        failing = false;
                        LogRecovered(_logger, _function.Name, _queue.Name);
                    }
                }
                catch (RequestFailedException exception) when (exception is { Status: 404, ErrorCode: "QueueNotFound" })
                {
                    // Nobody has sent to it yet (senders create it): an empty queue, for now.
                    messages = [];
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    // Whatever it is (the pipeline's retries end in an AggregateException), the listener must live on.
                    if (!failing)
                    {
                        failing = true;
                        LogReceiveFailed(_logger, exception, _function.Name, _queue.Name);
                    }
                    messages = [];
                }

                if (messages.Length > 0)
                {
                    delay = TimeSpan.Zero;
                    foreach (var message in messages)
                    {
                        Track(HandleAsync(message));
                    }
                    continue;
                }

                delay = NextPollingDelay(delay, _options.MaxPollingInterval);
                using var backOff = new CancellationTokenSource(delay, _time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping, backOff.Token);
                try
                {
                    // Whichever comes first: the back-off, or a message this process sends to the queue.
                    await _watcher.WaitAsync(_queue.Name, wait.Token);
                    delay = TimeSpan.Zero;
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>The next wait on an empty queue: 100 ms first, then doubling (with up to 20 % jitter) to the maximum.</summary>
    internal static TimeSpan NextPollingDelay(TimeSpan previous, TimeSpan max)
    {
        var next = previous < MinPollingInterval ? MinPollingInterval : previous * 2 * (0.9 + Random.Shared.NextDouble() * 0.2);
        return next > max ? max : next;
    }

    private void Track(Task handling)
    {
        _inFlight.TryAdd(handling, true);
        _ = handling.ContinueWith(
            (task, state) =>
            {
                var listener = (QueueListener)state!;
                listener._inFlight.TryRemove(task, out _);
                listener._slotFreed.Release();
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task HandleAsync(QueueMessage received)
    {
        await Task.Yield();
        var popReceipt = received.PopReceipt;
        try
        {
            if (received.DecodingFailed)
            {
                LogUndecodable(_logger, _function.Name, received.MessageId, _queue.PoisonQueueName);
                await _queue.MovePoisonMessageAsync(received, popReceipt, CancellationToken.None);
                return;
            }
            if (received.DequeueCount > _options.MaxDequeueCount)
            {
                LogReceivedTooOften(_logger, _function.Name, received.MessageId, received.DequeueCount, _queue.PoisonQueueName);
                await _queue.MovePoisonMessageAsync(received, popReceipt, CancellationToken.None);
                return;
            }

            var message = new QueueTriggerMessage(received.MessageId, received.MessageText, received.DequeueCount, popReceipt,
                received.InsertedOn, received.ExpiresOn, received.NextVisibleOn);
            Exception? failure = null;
            var aborted = false;
            using (var handlerDone = new CancellationTokenSource())
            {
                var keepInvisible = KeepInvisibleAsync(received.MessageId, popReceipt, handlerDone.Token);
                try
                {
                    await _invoker.InvokeAsync(_trigger, message, _abortHandlers.Token);
                }
                catch (OperationCanceledException) when (_abortHandlers.IsCancellationRequested)
                {
                    aborted = true;
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
                await handlerDone.CancelAsync();
                popReceipt = await keepInvisible;
            }

            if (aborted)
            {
                // Shutting down: visible again at once, for another instance (or this one after a restart).
                await _queue.UpdateMessageAsync(received.MessageId, popReceipt, TimeSpan.Zero, cancellationToken: CancellationToken.None);
                LogReleased(_logger, _function.Name, received.MessageId);
            }
            else if (failure is null)
            {
                await _queue.DeleteMessageAsync(received.MessageId, popReceipt, CancellationToken.None);
                LogSucceeded(_logger, _function.Name, received.MessageId, received.DequeueCount);
            }
            else if (received.DequeueCount >= _options.MaxDequeueCount)
            {
                LogPoisoned(_logger, failure, _function.Name, received.MessageId, received.DequeueCount, _queue.PoisonQueueName);
                await _queue.MovePoisonMessageAsync(received, popReceipt, CancellationToken.None);
            }
            else
            {
                LogFailed(_logger, failure, _function.Name, received.MessageId, received.DequeueCount, _options.MaxDequeueCount, _options.VisibilityTimeout);
                await _queue.UpdateMessageAsync(received.MessageId, popReceipt, _options.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception exception)
        {
            // The message stays where it is and comes back when its visibility timeout ends: at least once, never lost.
            LogCouldNotComplete(_logger, exception, _function.Name, received.MessageId);
        }
    }

    /// <summary>Extends the message's invisibility at half-time until <paramref name="handlerDone"/>; returns the latest pop receipt.</summary>
    private async Task<string> KeepInvisibleAsync(string messageId, string popReceipt, CancellationToken handlerDone)
    {
        var interval = _options.ProcessingVisibilityTimeout / 2;
        while (true)
        {
            try
            {
                await Task.Delay(interval, _time, handlerDone);
            }
            catch (OperationCanceledException)
            {
                return popReceipt;
            }
            try
            {
                // Never cancelled midway: an update the service applied but we did not hear of would orphan the receipt.
                popReceipt = (await _queue.UpdateMessageAsync(messageId, popReceipt, _options.ProcessingVisibilityTimeout,
                    cancellationToken: CancellationToken.None)).Value.PopReceipt;
            }
            catch (Exception exception)
            {
                LogRenewFailed(_logger, exception, _function.Name, messageId);
                // Try again next interval with the receipt we have; if the message was received elsewhere, that fails too.
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Listening for {Function} on queue {Queue} (batch {BatchSize}, max dequeue count {MaxDequeueCount}, max polling interval {MaxPollingInterval})")]
    private static partial void LogListening(ILogger logger, string function, string queue, int batchSize, int maxDequeueCount, TimeSpan maxPollingInterval);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "{Function} handled message {MessageId} (dequeue count {DequeueCount})")]
    private static partial void LogSucceeded(ILogger logger, string function, string messageId, long dequeueCount);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "{Function} failed on message {MessageId} (dequeue count {DequeueCount} of {MaxDequeueCount}); it is retried after {VisibilityTimeout}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string messageId, long dequeueCount, int maxDequeueCount, TimeSpan visibilityTimeout);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "{Function} failed on message {MessageId} for the last allowed time (dequeue count {DequeueCount}); moved to {PoisonQueue}")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string function, string messageId, long dequeueCount, string poisonQueue);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "{Function}: message {MessageId} cannot be decoded; moved to {PoisonQueue}")]
    private static partial void LogUndecodable(ILogger logger, string function, string messageId, string poisonQueue);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "{Function}: message {MessageId} was received {DequeueCount} times without completing; moved to {PoisonQueue}")]
    private static partial void LogReceivedTooOften(ILogger logger, string function, string messageId, long dequeueCount, string poisonQueue);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "{Function} could not complete message {MessageId}; it comes back when its visibility timeout ends")]
    private static partial void LogCouldNotComplete(ILogger logger, Exception exception, string function, string messageId);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "{Function} could not extend the visibility of message {MessageId}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string function, string messageId);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Warning, Message = "{Function} cannot receive from queue {Queue}; retrying with back-off")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string function, string queue);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "{Function} receives from queue {Queue} again")]
    private static partial void LogRecovered(ILogger logger, string function, string queue);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "{Function}: shutdown deadline reached with {Count} messages in flight; cancelling them and releasing their messages")]
    private static partial void LogAborting(ILogger logger, string function, int count);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "{Function} released message {MessageId} at shutdown")]
    private static partial void LogReleased(ILogger logger, string function, string messageId);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Information, Message = "{Function} stopped listening")]
    private static partial void LogStopped(ILogger logger, string function);
}
