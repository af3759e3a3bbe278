using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using static ServerlessInnovation.Functions.Hosting.HttpInvocationMiddleware;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// Reads the Functions host's invocation payload <c>{"Data":{...},"Metadata":{...}}</c> for queue and timer triggers
/// (sections 2.2, 2.4 and 2.5 of the contract). The host JSON-encodes plain strings and numbers a second time
/// (<c>"\"abc\""</c>, <c>"1"</c>), while its docs show them encoded once; both are accepted.
/// </summary>
internal static class HostTriggerPayload
{
    /// <summary>What the host writes for a <see cref="DateTime"/> it never set: <c>0001-01-01T00:00:00</c>.</summary>
    private static readonly DateTime Never = DateTime.MinValue;

    /// <summary>The queue message in <c>Data.{bindingName}</c> and its <c>Metadata</c>; false when the payload lacks the message or has an unreadable dequeue count.</summary>
    public static bool TryReadQueueMessage(JsonElement payload, string bindingName, [NotNullWhen(true)] out QueueTriggerMessage? message)
    {
        message = null;
        if (!TryGetData(payload, bindingName, out var item) || Text(item) is not { } text)
        {
            return false;
        }
        var metadata = TryGetCaseInsensitive(payload, "Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        long dequeueCount = 1;
        if (Metadata(metadata, "DequeueCount") is { } countValue && !TryReadCount(countValue, out dequeueCount))
        {
            return false;
        }
        message = new QueueTriggerMessage(
            Metadata(metadata, "Id") is { } id ? Scalar(id) ?? "" : "",
            text,
            dequeueCount,
            PopReceipt: null,
            Date(Metadata(metadata, "InsertionTime")),
            Date(Metadata(metadata, "ExpirationTime")),
            Date(Metadata(metadata, "NextVisibleTime")));
        return true;
    }

    /// <summary>The timer in <c>Data.{bindingName}</c>: <c>IsPastDue</c> and <c>ScheduleStatus.Last/Next</c>, either of which may be null.</summary>
    public static bool TryReadTimer(JsonElement payload, string bindingName, [NotNullWhen(true)] out TimerTriggerInfo? timer)
    {
        timer = null;
        if (!TryGetData(payload, bindingName, out var item))
        {
            return false;
        }
        using var parsed = item.ValueKind == JsonValueKind.String ? TryParse(item.GetString()!) : null;
        var value = parsed?.RootElement ?? item;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var isPastDue = false;
        if (TryGetCaseInsensitive(value, "IsPastDue", out var pastDue) && pastDue.ValueKind != JsonValueKind.Null &&
            !bool.TryParse(Scalar(pastDue), out isPastDue))
        {
            return false;
        }
        DateTimeOffset? last = null, next = null;
        if (TryGetCaseInsensitive(value, "ScheduleStatus", out var status) && status.ValueKind == JsonValueKind.Object)
        {
            last = TryGetCaseInsensitive(status, "Last", out var l) ? Date(l) : null;
            next = TryGetCaseInsensitive(status, "Next", out var n) ? Date(n) : null;
        }
        timer = new TimerTriggerInfo(isPastDue, last, next);
        return true;
    }

    private static bool TryGetData(JsonElement payload, string bindingName, out JsonElement item)
    {
        item = default;
        return payload.ValueKind == JsonValueKind.Object &&
               TryGetCaseInsensitive(payload, "Data", out var data) && data.ValueKind == JsonValueKind.Object &&
               TryGetCaseInsensitive(data, bindingName, out item) && item.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }

    private static JsonElement? Metadata(JsonElement metadata, string name) =>
        metadata.ValueKind == JsonValueKind.Object && TryGetCaseInsensitive(metadata, name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    /// <summary>
    /// The message text: a string, unwrapped once more when it holds a JSON string (the host's double encoding); a JSON
    /// object or array the host sent as such, as JSON text.
    /// </summary>
    private static string? Text(JsonElement item) => item.ValueKind switch
    {
        JsonValueKind.String => Unwrap(item.GetString()!),
        JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
        _ => null,
    };

    /// <summary>A scalar metadata value as text: strings unwrapped as for <see cref="Text"/>, numbers and booleans as written.</summary>
    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Unwrap(value.GetString()!),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    /// <summary><c>"abc"</c> (with the quotes) becomes <c>abc</c>; anything else stays as it is.</summary>
    private static string Unwrap(string text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            return text;
        }
        using var inner = TryParse(text);
        return inner?.RootElement.ValueKind == JsonValueKind.String ? inner.RootElement.GetString()! : text;
    }

    /// <summary>A count as a JSON number, a numeric string (<c>"1"</c>), or a double-encoded one.</summary>
    private static bool TryReadCount(JsonElement value, out long count)
    {
        count = 0;
        var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Scalar(value);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1;
    }

    /// <summary>A timestamp in any of the host's formats (with or without an offset; UTC when none), or null when absent, unreadable or never set.</summary>
    private static DateTimeOffset? Date(JsonElement? value) =>
        value is { } element && Scalar(element) is { } text &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) &&
        date.UtcDateTime.Date != Never
            ? date
            : null;

    private static JsonDocument? TryParse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
