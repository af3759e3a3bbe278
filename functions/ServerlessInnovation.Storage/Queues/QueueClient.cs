using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using static ServerlessInnovation.Storage.StorageRequests;

namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// One queue: sends, receives, peeks, updates and deletes messages, and moves poison messages aside the way the Azure
/// Functions queue trigger does. Get one from <see cref="QueueServiceClient.GetQueueClient"/>.
/// </summary>
/// <remarks>
/// <para>
/// Payloads are stored per <see cref="QueueClientOptions.MessageEncoding"/>: base64 by default, as the Functions trigger
/// expects. Arguments are checked against the service's limits (message size, counts, times) before anything is sent; a
/// violation throws <see cref="ArgumentException"/>.
/// </para>
/// <para>
/// Failed requests throw <see cref="RequestFailedException"/> with the HTTP <see cref="RequestFailedException.Status"/> and the
/// service's <see cref="RequestFailedException.ErrorCode"/> (e.g. 404 <c>QueueNotFound</c>, 400 <c>PopReceiptMismatch</c>).
/// Transient failures are retried as configured in <see cref="ClientOptions.Retry"/>, except that sends and updates, which
/// must not happen twice, are retried only when the service cannot have carried them out (408, 429, 503, or no connection).
/// </para>
/// </remarks>
public sealed class QueueClient
{
    private const string XmlContentType = "application/xml";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly QueueMessageEncoding _encoding;
    private QueueClient? _poisonQueue;

    // Set once this client has created its queue or seen it exist; only the poison queue client uses it.
    private volatile bool _knownToExist;

    internal QueueClient(HttpPipeline pipeline, Uri endpoint, string name, QueueMessageEncoding encoding)
    {
        _pipeline = pipeline;
        _endpoint = endpoint;
        _encoding = encoding;
        Name = name;
    }

    /// <summary>The queue name.</summary>
    public string Name { get; }

    /// <summary>
    /// The queue that <see cref="MovePoisonMessageAsync(QueueMessage, CancellationToken)"/> moves messages to: <c>{Name}-poison</c>, as the Functions host names
    /// it. It is a valid queue name only when <see cref="Name"/> has at most 56 characters.
    /// </summary>
    public string PoisonQueueName => Name + QueueLimits.PoisonSuffix;

    private string MessagesPath => Name + "/messages";

    /// <summary>Creates the queue unless it exists.</summary>
    /// <remarks>If a first try created the queue but its response was lost, the retry finds the queue and this returns false.</remarks>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when this call created the queue, false when it existed.</returns>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Put, Name);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        // 204: the queue exists with the same (no) metadata; 409 QueueAlreadyExists: it exists with other metadata.
        var existed = response.Status == 204 || (response.Status == 409 && ErrorCode(response) == "QueueAlreadyExists");
        if (!existed)
        {
            EnsureSuccess(response);
        }
        _knownToExist = true;
        return !existed;
    }

    /// <summary>Deletes the queue and its messages; a queue that does not exist is not an error.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when this call deleted the queue, false when it did not exist.</returns>
    /// <exception cref="RequestFailedException">The service refused the request.</exception>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, Name);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && ErrorCode(response) == "QueueNotFound")
        {
            return false;
        }
        EnsureSuccess(response);
        return true;
    }

    /// <summary>Queues a text message, encoded per <see cref="QueueClientOptions.MessageEncoding"/> (its UTF-8 bytes in base64 by default).</summary>
    /// <remarks>
    /// Not retried once the request may have reached the service (a 500, a dropped connection), so this call never queues
    /// the message twice; whether to send it again after such a failure is the caller's decision.
    /// </remarks>
    /// <param name="messageText">The text: at most 49,152 UTF-8 bytes with base64, 65,536 without.</param>
    /// <param name="visibilityTimeout">How long the message stays invisible after it is queued: 0 (the default) to 7 days, shorter than <paramref name="timeToLive"/>, in whole seconds.</param>
    /// <param name="timeToLive">How long the message lives: 7 days when null; any whole number of seconds from 1; <c>TimeSpan.FromSeconds(-1)</c> or <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new message's ID, pop receipt and times.</returns>
    /// <exception cref="ArgumentException">The text is too long or, without base64, not XML text; or a time is out of range.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>QueueNotFound</c>.</exception>
    public Task<Response<SendReceipt>> SendMessageAsync(
        string messageText, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default) =>
        SendStoredTextAsync(QueueMessageText.Encode(messageText, _encoding, nameof(messageText)), visibilityTimeout, timeToLive, cancellationToken);

    /// <summary>Queues a message, encoded per <see cref="QueueClientOptions.MessageEncoding"/> (base64 by default).</summary>
    /// <inheritdoc cref="SendMessageAsync(string, TimeSpan?, TimeSpan?, CancellationToken)" path="/remarks"/>
    /// <param name="message">The payload: at most 49,152 bytes with base64; UTF-8 text of at most 65,536 bytes without.</param>
    /// <param name="visibilityTimeout">How long the message stays invisible after it is queued: 0 (the default) to 7 days, shorter than <paramref name="timeToLive"/>, in whole seconds.</param>
    /// <param name="timeToLive">How long the message lives: 7 days when null; any whole number of seconds from 1; <c>TimeSpan.FromSeconds(-1)</c> or <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new message's ID, pop receipt and times.</returns>
    /// <exception cref="ArgumentException">The payload is too large or, without base64, not UTF-8 XML text; or a time is out of range.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>QueueNotFound</c>.</exception>
    public Task<Response<SendReceipt>> SendMessageAsync(
        BinaryData message, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default) =>
        SendStoredTextAsync(QueueMessageText.Encode(message, _encoding, nameof(message)), visibilityTimeout, timeToLive, cancellationToken);

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> visible messages, roughly oldest first, and hides them for
    /// <paramref name="visibilityTimeout"/>: delete each one once it is processed, or it is received again with a higher
    /// dequeue count.
    /// </summary>
    /// <param name="maxMessages">1 to 32.</param>
    /// <param name="visibilityTimeout">1 second to 7 days, in whole seconds; the service's 30 seconds when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The messages; an empty array when none is visible.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or time is out of range.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>QueueNotFound</c>.</exception>
    public async Task<Response<QueueMessage[]>> ReceiveMessagesAsync(
        int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        int? visibility = visibilityTimeout is { } timeout
            ? QueueLimits.Seconds(timeout, TimeSpan.FromSeconds(1), QueueLimits.SevenDays, nameof(visibilityTimeout))
            : null;
        return await GetMessagesAsync(maxMessages, peekOnly: false, visibility, fields => new QueueMessage(
            fields.Text("MessageId"),
            fields.Text("PopReceipt"),
            fields.Number("DequeueCount"),
            fields.Date("InsertionTime"),
            fields.Date("ExpirationTime"),
            fields.Date("TimeNextVisible"),
            new QueueMessagePayload(fields.Text("MessageText"), _encoding)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads up to <paramref name="maxMessages"/> visible messages, roughly oldest first, without receiving them: they stay visible and their dequeue count does not change.</summary>
    /// <param name="maxMessages">1 to 32.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The messages; an empty array when none is visible.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMessages"/> is out of range.</exception>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>QueueNotFound</c>.</exception>
    public Task<Response<PeekedMessage[]>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default) =>
        GetMessagesAsync(maxMessages, peekOnly: true, visibility: null, fields => new PeekedMessage(
            fields.Text("MessageId"),
            fields.Number("DequeueCount"),
            fields.Date("InsertionTime"),
            fields.Date("ExpirationTime"),
            new QueueMessagePayload(fields.Text("MessageText"), _encoding)), cancellationToken);

    /// <summary>Deletes a received message; a message that no longer exists is not an error.</summary>
    /// <remarks>
    /// A message is gone once it is deleted or expired, so a retry that finds it gone (404 <c>MessageNotFound</c>) has done
    /// its work. A message received again since (its visibility timeout passed) has a new pop receipt, and the old one fails
    /// with 400 <c>PopReceiptMismatch</c>: the message is then someone else's to process.
    /// </remarks>
    /// <param name="messageId">The message's ID.</param>
    /// <param name="popReceipt">The pop receipt of the latest receive or update.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service's response: 204, or 404 when the message did not exist.</returns>
    /// <exception cref="ArgumentException"><paramref name="messageId"/> or <paramref name="popReceipt"/> is null or empty.</exception>
    /// <exception cref="RequestFailedException">The service refused the request: 400 <c>PopReceiptMismatch</c> for a stale pop receipt, 404 <c>QueueNotFound</c>.</exception>
    public async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessageRequest(RequestMethod.Delete, messageId, popReceipt);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status == 404 && ErrorCode(response) == "MessageNotFound" ? response : EnsureSuccess(response);
    }

    /// <summary>
    /// Changes how long a received message stays invisible, counted from now, and optionally its payload: a longer timeout
    /// keeps a slow job's message, zero releases it to other receivers at once.
    /// </summary>
    /// <remarks>
    /// The update gives the message a new pop receipt and invalidates the old one, so it is not retried once the service may
    /// have applied it: the retry could only fail with <c>PopReceiptMismatch</c>.
    /// </remarks>
    /// <param name="messageId">The message's ID.</param>
    /// <param name="popReceipt">The pop receipt of the latest receive or update.</param>
    /// <param name="visibilityTimeout">0 to 7 days, in whole seconds.</param>
    /// <param name="message">The new payload, encoded like a sent one; null keeps the current one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new pop receipt and when the message becomes visible.</returns>
    /// <exception cref="ArgumentException">An ID or receipt is null or empty, the time is out of range, or the payload breaks a limit.</exception>
    /// <exception cref="RequestFailedException">The service refused the request: 400 <c>PopReceiptMismatch</c> for a stale pop receipt, 404 <c>MessageNotFound</c>.</exception>
    public async Task<Response<UpdateReceipt>> UpdateMessageAsync(
        string messageId, string popReceipt, TimeSpan visibilityTimeout, BinaryData? message = null, CancellationToken cancellationToken = default)
    {
        var visibility = QueueLimits.Seconds(visibilityTimeout, TimeSpan.Zero, QueueLimits.SevenDays, nameof(visibilityTimeout));
        var storedText = message is null ? null : QueueMessageText.Encode(message, _encoding, nameof(message));
        using var request = CreateMessageRequest(RequestMethod.Put, messageId, popReceipt);
        request.Request.Uri.AppendQuery("visibilitytimeout", visibility.ToString(CultureInfo.InvariantCulture));
        StorageResponseClassifier.MarkNonIdempotent(request);
        if (storedText is not null)
        {
            SetXmlContent(request, storedText);
        }
        var response = EnsureSuccess(await SendAsync(request, cancellationToken).ConfigureAwait(false));
        if (!response.Headers.TryGetValue("x-ms-popreceipt", out var newPopReceipt) || string.IsNullOrEmpty(newPopReceipt)
            || !response.Headers.TryGetValue("x-ms-time-next-visible", out var nextVisible)
            || !QueueMessagesReply.TryParseDate(nextVisible, out var nextVisibleOn))
        {
            throw new RequestFailedException(response.Status, "The Queue service's reply to Update Message lacks x-ms-popreceipt or x-ms-time-next-visible.");
        }
        return Response.FromValue(new UpdateReceipt(newPopReceipt, nextVisibleOn), response);
    }

    /// <summary>Reads the queue's approximate message count and its metadata.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The properties.</returns>
    /// <exception cref="RequestFailedException">The service refused the request, e.g. 404 <c>QueueNotFound</c>.</exception>
    public async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, Name);
        message.Request.Uri.AppendQuery("comp", "metadata");
        var response = EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));
        if (!response.Headers.TryGetValue("x-ms-approximate-messages-count", out var countText)
            || !long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new RequestFailedException(response.Status, "The Queue service's reply lacks x-ms-approximate-messages-count.");
        }
        const string MetadataPrefix = "x-ms-meta-";
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name[MetadataPrefix.Length..]] = header.Value;
            }
        }
        return Response.FromValue(new QueueProperties(count, metadata), response);
    }

    /// <summary>
    /// Moves a received message to <see cref="PoisonQueueName"/>, as the Functions host does with a message that failed
    /// <c>maxDequeueCount</c> times or could not be decoded: sends its text, exactly as stored, to the poison queue (creating
    /// that queue the first time), then deletes it from this queue with its pop receipt.
    /// </summary>
    /// <remarks>
    /// The copy is made before the delete, so a failure or crash in between leaves the message in both queues, never in
    /// neither: poison handling must tolerate a duplicate. The delete fails with 400 <c>PopReceiptMismatch</c> if the
    /// message was received again meanwhile (its visibility timeout passed). The copy gets the service's default time to
    /// live, 7 days, as in the Functions host.
    /// </remarks>
    /// <param name="message">The received message, with its current pop receipt.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The receipt of the copy in the poison queue.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Name"/> is longer than 56 characters, so <see cref="PoisonQueueName"/> is not a valid queue name.</exception>
    /// <exception cref="RequestFailedException">The service refused a request.</exception>
    public Task<SendReceipt> MovePoisonMessageAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return MovePoisonMessageAsync(message, message.PopReceipt, cancellationToken);
    }

    /// <summary>
    /// <see cref="MovePoisonMessageAsync(QueueMessage, CancellationToken)"/> for a message whose pop receipt has changed since
    /// it was received (its visibility was extended with <see cref="UpdateMessageAsync"/>).
    /// </summary>
    /// <param name="message">The received message.</param>
    /// <param name="popReceipt">The pop receipt of the latest update of <paramref name="message"/>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The receipt of the copy in the poison queue.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Name"/> is longer than 56 characters, so <see cref="PoisonQueueName"/> is not a valid queue name.</exception>
    /// <exception cref="RequestFailedException">The service refused a request.</exception>
    public async Task<SendReceipt> MovePoisonMessageAsync(QueueMessage message, string popReceipt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var poisonQueue = _poisonQueue ??= CreatePoisonQueueClient();
        var receipt = await poisonQueue.SendCreatingQueueAsync(message.StoredText, cancellationToken).ConfigureAwait(false);
        await DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken).ConfigureAwait(false);
        return receipt;
    }

    private QueueClient CreatePoisonQueueClient()
    {
        if (PoisonQueueName.Length > QueueLimits.MaxNameLength)
        {
            throw new InvalidOperationException(
                $"Queue '{Name}' has no valid poison queue: '{PoisonQueueName}' is longer than {QueueLimits.MaxNameLength} characters. " +
                $"Queues that need one must have names of at most {QueueLimits.MaxNameLength - QueueLimits.PoisonSuffix.Length} characters.");
        }
        return new QueueClient(_pipeline, _endpoint, PoisonQueueName, _encoding);
    }

    /// <summary>Sends stored text, creating the queue first unless this client knows it exists, and again if it was deleted since.</summary>
    private async Task<SendReceipt> SendCreatingQueueAsync(string storedText, CancellationToken cancellationToken)
    {
        if (!_knownToExist)
        {
            await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return (await SendStoredTextAsync(storedText, null, null, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException exception) when (exception is { Status: 404, ErrorCode: "QueueNotFound" })
        {
            await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return (await SendStoredTextAsync(storedText, null, null, cancellationToken).ConfigureAwait(false)).Value;
        }
    }

    private async Task<Response<SendReceipt>> SendStoredTextAsync(
        string storedText, TimeSpan? visibilityTimeout, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        var (visibility, ttl) = QueueLimits.ValidateSend(visibilityTimeout, timeToLive);
        using var message = CreateMessage(RequestMethod.Post, MessagesPath);
        if (visibility is not null)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", visibility);
        }
        if (ttl is not null)
        {
            message.Request.Uri.AppendQuery("messagettl", ttl);
        }
        // A message the service may have queued must not be sent again: it would be queued twice.
        StorageResponseClassifier.MarkNonIdempotent(message);
        SetXmlContent(message, storedText);
        var response = EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));
        var receipts = QueueMessagesReply.Read(response, fields => new SendReceipt(
            fields.Text("MessageId"),
            fields.Text("PopReceipt"),
            fields.Date("InsertionTime"),
            fields.Date("ExpirationTime"),
            fields.Date("TimeNextVisible")));
        return receipts.Length == 1
            ? Response.FromValue(receipts[0], response)
            : throw new RequestFailedException(response.Status, $"The Queue service's reply to Put Message holds {receipts.Length} messages instead of one.");
    }

    /// <summary>Get Messages: <c>GET {queue}/messages?[peekonly=true&amp;]numofmessages=n[&amp;visibilitytimeout=s]</c>.</summary>
    private async Task<Response<T[]>> GetMessagesAsync<T>(
        int maxMessages, bool peekOnly, int? visibility, Func<QueueMessagesReply.Fields, T> create, CancellationToken cancellationToken)
    {
        QueueLimits.ValidateMaxMessages(maxMessages, nameof(maxMessages));
        using var message = CreateMessage(RequestMethod.Get, MessagesPath);
        var uri = message.Request.Uri;
        if (peekOnly)
        {
            uri.AppendQuery("peekonly", "true");
        }
        uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        if (visibility is not null)
        {
            uri.AppendQuery("visibilitytimeout", visibility.Value.ToString(CultureInfo.InvariantCulture));
        }
        var response = EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(QueueMessagesReply.Read(response, create), response);
    }

    /// <summary>A request to <c>{queue}/messages/{id}?popreceipt=…</c>, after checking both values.</summary>
    private HttpMessage CreateMessageRequest(RequestMethod method, string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var message = CreateMessage(method, $"{MessagesPath}/{Uri.EscapeDataString(messageId)}");
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        return message;
    }

    /// <summary>A request with the headers every Queue request needs; <paramref name="path"/> is relative to the endpoint and already escaped.</summary>
    private HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = _pipeline.CreateRequest(method, _endpoint, path, StorageApiVersions.Queue);
        message.Request.Headers.SetValue(HttpHeader.Names.Accept, XmlContentType);
        return message;
    }

    private static void SetXmlContent(HttpMessage message, string storedText)
    {
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, XmlContentType);
        message.Request.Content = QueueMessageText.ToRequestContent(storedText);
    }

    private Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken) =>
        _pipeline.SendRequestAsync(message, cancellationToken);
}
