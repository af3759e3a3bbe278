using Azure;
using Azure.Core;
using Azure.Identity;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Storage;

/// <summary>
/// Where a storage account's services are and how to authorize against them, read from a connection string
/// (<see cref="Parse"/>) or from Azure Functions connection settings (<see cref="FromSettings"/>).
/// Exactly one of <see cref="SharedKeyCredential"/>, <see cref="TokenCredential"/> and <see cref="SasToken"/> is set.
/// </summary>
public sealed class StorageConnection
{
    private const string DevelopmentAccountName = "devstoreaccount1";

    // The emulator's well-known key, published in the Azurite README; not a secret.
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string DefaultEndpointSuffix = "core.windows.net";

    private StorageConnection(
        string? accountName,
        Uri? blobEndpoint,
        Uri? queueEndpoint,
        Uri? tableEndpoint,
        StorageSharedKeyCredential? sharedKeyCredential = null,
        TokenCredential? tokenCredential = null,
        string? sasToken = null)
    {
        AccountName = accountName;
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        TableEndpoint = tableEndpoint;
        SharedKeyCredential = sharedKeyCredential;
        TokenCredential = tokenCredential;
        SasToken = sasToken;
    }

    /// <summary>The account name, when the connection names it (<c>AccountName</c>, <c>__accountName</c> or development storage).</summary>
    public string? AccountName { get; }

    /// <summary>The Blob service endpoint, or null when the connection does not define or imply one.</summary>
    public Uri? BlobEndpoint { get; }

    /// <summary>The Queue service endpoint, or null when the connection does not define or imply one.</summary>
    public Uri? QueueEndpoint { get; }

    /// <summary>The Table service endpoint, or null when the connection does not define or imply one.</summary>
    public Uri? TableEndpoint { get; }

    /// <summary>The account key credential, for connection strings with <c>AccountKey</c> and for development storage.</summary>
    public StorageSharedKeyCredential? SharedKeyCredential { get; }

    /// <summary>The Microsoft Entra credential of an identity-based connection.</summary>
    public TokenCredential? TokenCredential { get; }

    /// <summary>
    /// The shared access signature of a connection string with <c>SharedAccessSignature</c>, without a leading <c>?</c>.
    /// The endpoints do not include it; clients append it to each request.
    /// </summary>
    public string? SasToken { get; }

    /// <summary>
    /// Reads an Azure Storage connection string: an account key or shared access signature with automatic
    /// (<c>DefaultEndpointsProtocol</c>, <c>EndpointSuffix</c>) or explicit (<c>BlobEndpoint</c>, <c>QueueEndpoint</c>,
    /// <c>TableEndpoint</c>) endpoints, or <c>UseDevelopmentStorage=true</c> with an optional <c>DevelopmentStorageProxyUri</c>.
    /// </summary>
    /// <remarks>
    /// Settings are <c>Name=Value</c> pairs separated by <c>;</c>; a value may contain <c>=</c>, names are case-insensitive,
    /// and empty segments (such as a trailing <c>;</c>) are ignored.
    /// </remarks>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The parsed connection.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, empty or white space.</exception>
    /// <exception cref="FormatException">
    /// The connection string is malformed: a segment without <c>=</c>, an unknown or repeated setting, an invalid value, or a
    /// combination of settings that defines no usable account. The message never contains the account key or signature.
    /// </exception>
    public static StorageConnection Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = ConnectionStringSettings.Read(connectionString);

        if (settings.Take(ConnectionStringSettings.UseDevelopmentStorage) is { } useDevelopmentStorage)
        {
            return ParseDevelopmentStorage(settings, useDevelopmentStorage);
        }
        if (settings.Take(ConnectionStringSettings.DevelopmentStorageProxyUri) is not null)
        {
            throw new FormatException("DevelopmentStorageProxyUri is only valid together with UseDevelopmentStorage=true.");
        }

        var accountName = settings.Take(ConnectionStringSettings.AccountName);
        var accountKey = settings.Take(ConnectionStringSettings.AccountKey);
        var sas = settings.Take(ConnectionStringSettings.SharedAccessSignature);
        var protocol = settings.Take(ConnectionStringSettings.DefaultEndpointsProtocol) ?? "https";
        var suffix = settings.Take(ConnectionStringSettings.EndpointSuffix) ?? DefaultEndpointSuffix;
        var blob = settings.TakeEndpoint(ConnectionStringSettings.BlobEndpoint);
        var queue = settings.TakeEndpoint(ConnectionStringSettings.QueueEndpoint);
        var table = settings.TakeEndpoint(ConnectionStringSettings.TableEndpoint);
        settings.TakeUnusedEndpoints();

        if (accountKey is not null && sas is not null)
        {
            throw new FormatException("A connection string takes AccountKey or SharedAccessSignature, not both.");
        }
        if (accountKey is null && sas is null)
        {
            throw new FormatException(
                "The connection string has no credentials: add AccountKey or SharedAccessSignature, or use UseDevelopmentStorage=true.");
        }
        if (accountKey is not null && accountName is null)
        {
            throw new FormatException("AccountKey requires AccountName.");
        }
        if (accountName is null && blob is null && queue is null && table is null)
        {
            throw new FormatException(
                "The connection string defines no endpoint: add AccountName (for automatic endpoints) or BlobEndpoint, QueueEndpoint or TableEndpoint.");
        }
        if (!protocol.Equals("https", StringComparison.OrdinalIgnoreCase) && !protocol.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("DefaultEndpointsProtocol must be 'http' or 'https'.");
        }
        if (Uri.CheckHostName(suffix) != UriHostNameType.Dns)
        {
            throw new FormatException("EndpointSuffix must be a DNS name such as core.windows.net.");
        }

        StorageSharedKeyCredential? credential = null;
        if (accountKey is not null)
        {
            if (StorageSharedKeyCredential.DecodeKey(accountKey) is null)
            {
                throw new FormatException("AccountKey is not valid base64.");
            }
            credential = new StorageSharedKeyCredential(accountName!, accountKey);
        }

        return new StorageConnection(
            accountName,
            blob ?? AutomaticEndpoint(protocol, accountName, "blob", suffix),
            queue ?? AutomaticEndpoint(protocol, accountName, "queue", suffix),
            table ?? AutomaticEndpoint(protocol, accountName, "table", suffix),
            sharedKeyCredential: credential,
            sasToken: sas?.TrimStart('?'));
    }

    /// <summary>
    /// Resolves the Azure Functions connection named <paramref name="name"/> (e.g. <c>AzureWebJobsStorage</c>):
    /// a connection string in the setting <paramref name="name"/> itself when it is non-empty, otherwise an identity-based
    /// connection from <c>{name}__accountName</c>, <c>{name}__tableServiceUri</c>, <c>{name}__blobServiceUri</c>
    /// (or <c>{name}__serviceUri</c>), <c>{name}__queueServiceUri</c>, <c>{name}__credential</c> and <c>{name}__clientId</c>.
    /// </summary>
    /// <remarks>
    /// With <c>{name}__credential=managedidentity</c> the identity is a <see cref="ManagedIdentityCredential"/> (user-assigned
    /// when <c>{name}__clientId</c> is set, system-assigned otherwise); without it a <see cref="DefaultAzureCredential"/>,
    /// preferring the managed identity <c>{name}__clientId</c> when set. A service URI setting overrides the endpoint
    /// derived from <c>{name}__accountName</c>.
    /// </remarks>
    /// <param name="name">The connection name.</param>
    /// <param name="getSetting">Reads an app setting by name, returning null when it is not set (e.g. <c>configuration[key]</c>).</param>
    /// <returns>The connection.</returns>
    /// <exception cref="InvalidOperationException">Neither a connection string nor any identity-based setting is present, or <c>{name}__credential</c> has an unsupported value.</exception>
    /// <exception cref="FormatException">The connection string or a service URI setting is malformed.</exception>
    public static StorageConnection FromSettings(string name, Func<string, string?> getSetting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(getSetting);

        if (getSetting(name) is { } connectionString && !string.IsNullOrWhiteSpace(connectionString))
        {
            return Parse(connectionString);
        }

        string? Setting(string suffix) =>
            getSetting($"{name}__{suffix}") is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        Uri? ServiceUri(string suffix) => Setting(suffix) is { } value
            ? ParseEndpoint(value, $"{name}__{suffix}")
            : null;

        var accountName = Setting("accountName");
        var blob = ServiceUri("blobServiceUri") ?? ServiceUri("serviceUri") ?? AutomaticEndpoint("https", accountName, "blob", DefaultEndpointSuffix);
        var queue = ServiceUri("queueServiceUri") ?? AutomaticEndpoint("https", accountName, "queue", DefaultEndpointSuffix);
        var table = ServiceUri("tableServiceUri") ?? AutomaticEndpoint("https", accountName, "table", DefaultEndpointSuffix);
        if (blob is null && queue is null && table is null)
        {
            throw new InvalidOperationException(
                $"The storage connection '{name}' is not configured: set '{name}' to a connection string, or set '{name}__accountName' " +
                $"(or '{name}__tableServiceUri', '{name}__blobServiceUri', '{name}__queueServiceUri') for an identity-based connection.");
        }

        var clientId = Setting("clientId");
        TokenCredential credential = Setting("credential") switch
        {
            null => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId }),
            var kind when kind.Equals("managedidentity", StringComparison.OrdinalIgnoreCase) => new ManagedIdentityCredential(
                clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId)),
            _ => throw new InvalidOperationException($"'{name}__credential' must be 'managedidentity' when set."),
        };
        return new StorageConnection(accountName, blob, queue, table, tokenCredential: credential);
    }

    /// <summary>A Queue service client for this connection's queue endpoint and credential.</summary>
    /// <param name="options">Message encoding, retry, diagnostics, transport and clock options.</param>
    /// <returns>The client; nothing is sent yet.</returns>
    /// <exception cref="InvalidOperationException">The connection has no queue endpoint.</exception>
    public QueueServiceClient GetQueueServiceClient(QueueClientOptions? options = null)
    {
        return CreateServiceClient(
            QueueEndpoint,
            "queue",
            (endpoint, key) => new QueueServiceClient(endpoint, key, options),
            (endpoint, token) => new QueueServiceClient(endpoint, token, options),
            (endpoint, sas) => new QueueServiceClient(endpoint, sas, options));
    }

    /// <summary>A Table service client for this connection's table endpoint and credential.</summary>
    /// <param name="options">Retry, diagnostics, transport and clock options.</param>
    /// <returns>The client; nothing is sent yet.</returns>
    /// <exception cref="InvalidOperationException">The connection has no table endpoint.</exception>
    public TableServiceClient GetTableServiceClient(TableClientOptions? options = null)
    {
        return CreateServiceClient(
            TableEndpoint,
            "table",
            (endpoint, key) => new TableServiceClient(endpoint, key, options),
            (endpoint, token) => new TableServiceClient(endpoint, token, options),
            (endpoint, sas) => new TableServiceClient(endpoint, sas, options));
    }

    /// <summary>A Blob service client for this connection's blob endpoint and credential.</summary>
    /// <param name="options">Retry, diagnostics, transport and clock options.</param>
    /// <returns>The client; nothing is sent yet.</returns>
    /// <exception cref="InvalidOperationException">The connection has no blob endpoint.</exception>
    public BlobServiceClient GetBlobServiceClient(BlobClientOptions? options = null)
    {
        return CreateServiceClient(
            BlobEndpoint,
            "blob",
            (endpoint, key) => new BlobServiceClient(endpoint, key, options),
            (endpoint, token) => new BlobServiceClient(endpoint, token, options),
            (endpoint, sas) => new BlobServiceClient(endpoint, sas, options));
    }

    private static StorageConnection ParseDevelopmentStorage(ConnectionStringSettings settings, string useDevelopmentStorage)
    {
        if (!useDevelopmentStorage.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("UseDevelopmentStorage must be 'true' when present.");
        }
        var proxy = settings.TakeEndpoint(ConnectionStringSettings.DevelopmentStorageProxyUri);
        if (settings.FirstRemaining() is { } other)
        {
            throw new FormatException($"UseDevelopmentStorage=true cannot be combined with {other}.");
        }

        // The proxy replaces the emulator's scheme and host; the well-known ports stay.
        var root = proxy is null ? "http://127.0.0.1" : $"{proxy.Scheme}://{proxy.Host}";
        Uri Endpoint(int port) => new($"{root}:{port}/{DevelopmentAccountName}");
        return new StorageConnection(
            DevelopmentAccountName,
            Endpoint(10000),
            Endpoint(10001),
            Endpoint(10002),
            sharedKeyCredential: new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey));
    }

    private static Uri? AutomaticEndpoint(string protocol, string? accountName, string service, string suffix) =>
        accountName is null ? null : new Uri($"{protocol.ToLowerInvariant()}://{accountName}.{service}.{suffix}");

    /// <summary>An absolute http(s) URI; the message names the setting but never echoes its value.</summary>
    internal static Uri ParseEndpoint(string value, string settingName) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new FormatException($"{settingName} must be an absolute http or https URI.");

    // The service client for the endpoint, built with this connection's one credential; the service name (table, queue,
    // blob) names the settings to add when the endpoint is missing.
    private TClient CreateServiceClient<TClient>(
        Uri? endpoint,
        string service,
        Func<Uri, StorageSharedKeyCredential, TClient> withSharedKey,
        Func<Uri, TokenCredential, TClient> withToken,
        Func<Uri, AzureSasCredential, TClient> withSas)
    {
        if (endpoint is null)
        {
            throw new InvalidOperationException(
                $"This storage connection has no {service} endpoint: add {char.ToUpperInvariant(service[0])}{service[1..]}Endpoint or AccountName " +
                $"to the connection string, or set __{service}ServiceUri or __accountName for an identity-based connection.");
        }
        if (SharedKeyCredential is not null)
        {
            return withSharedKey(endpoint, SharedKeyCredential);
        }
        return TokenCredential is not null ? withToken(endpoint, TokenCredential) : withSas(endpoint, new AzureSasCredential(SasToken!));
    }
}
