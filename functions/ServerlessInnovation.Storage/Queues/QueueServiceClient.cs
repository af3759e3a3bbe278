using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// The Queue service of one storage account: hands out <see cref="QueueClient"/> instances, which share this client's HTTP
/// pipeline (retries, logging, authorization) and message encoding.
/// </summary>
public sealed class QueueServiceClient
{
    private readonly HttpPipeline _pipeline;
    private readonly QueueMessageEncoding _encoding;

    /// <summary>A client that signs requests with the account key (Shared Key).</summary>
    /// <param name="endpoint">The Queue endpoint, e.g. <c>https://acct.queue.core.windows.net</c> or <c>http://127.0.0.1:10001/devstoreaccount1</c>.</param>
    /// <param name="credential">The account name and key.</param>
    /// <param name="options">Message encoding, retry, diagnostics, transport and clock options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query, or the options name an unknown encoding.</exception>
    public QueueServiceClient(Uri endpoint, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
        : this(endpoint, credential, options, o => StoragePipeline.Build(o, credential, (key, time) => new StorageSharedKeyPipelinePolicy(key, time)))
    {
    }

    /// <summary>A client that authorizes requests with Microsoft Entra ID tokens (scope <c>https://storage.azure.com/.default</c>).</summary>
    /// <remarks>Azure.Core sends bearer tokens over https only; requests to an http endpoint fail with <see cref="InvalidOperationException"/>.</remarks>
    /// <param name="endpoint">The Queue endpoint, e.g. <c>https://acct.queue.core.windows.net</c>.</param>
    /// <param name="credential">The identity, e.g. a managed identity.</param>
    /// <param name="options">Message encoding, retry, diagnostics and transport options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query, or the options name an unknown encoding.</exception>
    public QueueServiceClient(Uri endpoint, TokenCredential credential, QueueClientOptions? options = null)
        : this(endpoint, credential, options, o => StoragePipeline.Build(o, credential))
    {
    }

    /// <summary>A client that authorizes requests with a shared access signature appended to every request.</summary>
    /// <param name="endpoint">The Queue endpoint, without the signature.</param>
    /// <param name="credential">The signature, with or without a leading <c>?</c>.</param>
    /// <param name="options">Message encoding, retry, diagnostics and transport options.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URI without query, or the options name an unknown encoding.</exception>
    public QueueServiceClient(Uri endpoint, AzureSasCredential credential, QueueClientOptions? options = null)
        : this(endpoint, credential, options, o => StoragePipeline.Build(o, credential))
    {
    }

    private QueueServiceClient(Uri endpoint, object credential, QueueClientOptions? options, Func<QueueClientOptions, HttpPipeline> buildPipeline)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Uri = StoragePipeline.ValidateEndpoint(endpoint, "Queue");
        options ??= new QueueClientOptions();
        if (!Enum.IsDefined(options.MessageEncoding))
        {
            throw new ArgumentException($"Message encoding {options.MessageEncoding} is not Base64 or None.", nameof(options));
        }
        _encoding = options.MessageEncoding;
        _pipeline = buildPipeline(options);
    }

    /// <summary>The Queue endpoint.</summary>
    public Uri Uri { get; }

    /// <summary>A client for one queue, sharing this client's pipeline and encoding. Nothing is sent.</summary>
    /// <param name="queueName">
    /// The queue name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.
    /// Keep it to 56 characters if the queue needs a poison queue (<c>{name}-poison</c>).
    /// </param>
    /// <returns>The queue client.</returns>
    /// <exception cref="ArgumentException">The queue name is invalid.</exception>
    public QueueClient GetQueueClient(string queueName)
    {
        QueueLimits.ValidateQueueName(queueName, nameof(queueName));
        return new QueueClient(_pipeline, Uri, queueName, _encoding);
    }
}
