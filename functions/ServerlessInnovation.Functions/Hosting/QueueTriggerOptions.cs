using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Storage.Queues;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// How the standalone queue listeners poll, retry and poison, as the Functions queue extension does: read from host.json
/// <c>extensions.queues</c> (the host's defaults for anything missing), then overridden from the <c>Triggers:Queues</c>
/// settings. The Functions host applies the same host.json values itself in custom-handler mode.
/// </summary>
public sealed class QueueTriggerOptions
{
    public const string SectionName = "Triggers:Queues";

    /// <summary>Messages received at once, and handled in parallel, per function (1–32).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Attempts before a message goes to <c>&lt;queue&gt;-poison</c> (at least 1).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message stays invisible before it is retried: 0 to 7 days, whole seconds.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>The longest wait between polls of an empty queue (at least 100 ms); polling backs off to it from 100 ms.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// In-flight messages at or below which the next batch is received; null for the host's <c>batchSize / 2 × processors</c>.
    /// At most <see cref="BatchSize"/> + this many handlers run at once.
    /// </summary>
    public int? NewBatchThreshold { get; set; }

    /// <summary>How message text is stored: base64 (the host's default) or none.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;

    /// <summary>
    /// How long a received message stays invisible while its handler runs: renewed at half time for as long as the handler
    /// runs, so it bounds only how soon a message comes back after a crash. 1 second to 7 days, whole seconds.
    /// </summary>
    public TimeSpan ProcessingVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The effective <see cref="NewBatchThreshold"/>.</summary>
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2 * Environment.ProcessorCount;

    /// <summary>Reads host.json's <c>extensions.queues</c> into <paramref name="options"/>; a missing file or section leaves the defaults.</summary>
    /// <exception cref="InvalidOperationException">host.json is not JSON, or a queue setting has the wrong type.</exception>
    public static void ReadHostJson(QueueTriggerOptions options, string hostJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(hostJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException("host.json is not valid JSON: " + exception.Message, exception);
        }
        using (document)
        {
            if (!TryGet(document.RootElement, "extensions", out var extensions) || !TryGet(extensions, "queues", out var queues))
            {
                return;
            }
            foreach (var setting in queues.EnumerateObject())
            {
                try
                {
                    Apply(options, setting);
                }
                catch (Exception exception) when (exception is FormatException or InvalidOperationException or OverflowException)
                {
                    throw new InvalidOperationException($"host.json extensions.queues.{setting.Name} has an invalid value {setting.Value.GetRawText()}.", exception);
                }
            }
        }
    }

    private static void Apply(QueueTriggerOptions options, JsonProperty setting)
    {
        var value = setting.Value;
        switch (setting.Name.ToUpperInvariant())
        {
            case "BATCHSIZE":
                options.BatchSize = value.GetInt32();
                break;
            case "MAXDEQUEUECOUNT":
                options.MaxDequeueCount = value.GetInt32();
                break;
            case "NEWBATCHTHRESHOLD":
                // The extension's -1 means "compute it".
                options.NewBatchThreshold = value.GetInt32() is var threshold and >= 0 ? threshold : null;
                break;
            case "VISIBILITYTIMEOUT":
                options.VisibilityTimeout = TimeSpan.Parse(value.GetString()!, CultureInfo.InvariantCulture);
                break;
            case "MAXPOLLINGINTERVAL":
                options.MaxPollingInterval = TimeSpan.Parse(value.GetString()!, CultureInfo.InvariantCulture);
                break;
            case "MESSAGEENCODING":
                options.MessageEncoding = value.GetString()!.ToUpperInvariant() switch
                {
                    "BASE64" => QueueMessageEncoding.Base64,
                    "NONE" => QueueMessageEncoding.None,
                    _ => throw new FormatException("messageEncoding is 'base64' or 'none'."),
                };
                break;
            default:
                // Settings the standalone listener has no use for are ignored.
                break;
        }
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        return element.ValueKind == JsonValueKind.Object && HttpInvocationMiddleware.TryGetCaseInsensitive(element, name, out value) &&
               value.ValueKind == JsonValueKind.Object;
    }
}

internal sealed class QueueTriggerOptionsValidator : IValidateOptions<QueueTriggerOptions>
{
    private static readonly TimeSpan SevenDays = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, QueueTriggerOptions options)
    {
        var errors = new List<string>();
        if (options.BatchSize is < 1 or > 32)
        {
            errors.Add($"BatchSize must be 1 to 32, not {options.BatchSize}.");
        }
        if (options.MaxDequeueCount < 1)
        {
            errors.Add($"MaxDequeueCount must be at least 1, not {options.MaxDequeueCount}.");
        }
        if (options.NewBatchThreshold < 0)
        {
            errors.Add($"NewBatchThreshold must be at least 0, not {options.NewBatchThreshold}.");
        }
        if (options.MaxPollingInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"MaxPollingInterval must be at least 00:00:00.100, not {options.MaxPollingInterval}.");
        }
        WholeSeconds(errors, nameof(options.VisibilityTimeout), options.VisibilityTimeout, TimeSpan.Zero);
        WholeSeconds(errors, nameof(options.ProcessingVisibilityTimeout), options.ProcessingVisibilityTimeout, TimeSpan.FromSeconds(1));
        if (!Enum.IsDefined(options.MessageEncoding))
        {
            errors.Add($"MessageEncoding must be Base64 or None, not {options.MessageEncoding}.");
        }
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{QueueTriggerOptions.SectionName} (or host.json extensions.queues): {e}"));
    }

    private static void WholeSeconds(List<string> errors, string name, TimeSpan value, TimeSpan min)
    {
        if (value < min || value > SevenDays || value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"{name} must be a whole number of seconds from {min} to 7 days, not {value}.");
        }
    }
}
