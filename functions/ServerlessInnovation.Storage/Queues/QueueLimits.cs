using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// The Queue service's limits on names, message counts and times, checked before a request is sent. Violations throw
/// <see cref="ArgumentException"/> (<see cref="ArgumentOutOfRangeException"/> for numbers and times). Message sizes are
/// checked where the text is encoded (<see cref="QueueMessageText"/>).
/// </summary>
internal static partial class QueueLimits
{
    public const int MinNameLength = 3;

    public const int MaxNameLength = 63;

    /// <summary>What the Functions host appends to a queue's name to name its poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    public const int MaxMessagesPerRequest = 32;

    /// <summary>
    /// 64 KiB of message text as the queue stores it (the base64 text, or the plain text before XML escaping), counted in
    /// UTF-8 bytes as Azurite counts it.
    /// </summary>
    public const int MaxMessageTextBytes = 64 * 1024;

    /// <summary>The largest payload whose base64 text fits in <see cref="MaxMessageTextBytes"/>: 3 bytes per 4 characters.</summary>
    public const int MaxBase64PayloadBytes = MaxMessageTextBytes / 4 * 3;

    /// <summary>The longest visibility timeout, and the time to live of a message sent without one.</summary>
    public static readonly TimeSpan SevenDays = TimeSpan.FromDays(7);

    /// <summary>The time to live that means "never expires" in the REST API.</summary>
    public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private static readonly TimeSpan LongestTimeToLive = TimeSpan.FromSeconds(int.MaxValue);

    /// <summary>3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public static void ValidateQueueName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length is < MinNameLength or > MaxNameLength)
        {
            throw new ArgumentException(
                $"Queue name '{name}' is {name.Length} characters long; the Queue service allows {MinNameLength} to {MaxNameLength}.", paramName);
        }
        if (!QueueName().IsMatch(name))
        {
            throw new ArgumentException(
                $"Queue name '{name}' is invalid: use lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
                paramName);
        }
    }

    /// <summary>1 to 32: how many messages one receive or peek may return.</summary>
    public static void ValidateMaxMessages(int maxMessages, string paramName)
    {
        if (maxMessages is < 1 or > MaxMessagesPerRequest)
        {
            throw new ArgumentOutOfRangeException(
                paramName, maxMessages, $"The Queue service returns 1 to {MaxMessagesPerRequest} messages per request.");
        }
    }

    /// <summary>The whole number of seconds in <paramref name="value"/>, which must lie in <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static int Seconds(TimeSpan value, TimeSpan min, TimeSpan max, string paramName)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(
                paramName, value, $"The Queue service takes {Describe(min)} to {Describe(max)} here.");
        }
        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"The Queue service counts whole seconds; {value} has a fraction of a second.", paramName);
        }
        return (int)(value.Ticks / TimeSpan.TicksPerSecond);
    }

    /// <summary>
    /// The query values of Put Message: a visibility timeout of 0 to 7 days, a time to live that is positive or "never"
    /// (<c>-1</c> seconds, or <see cref="Timeout.InfiniteTimeSpan"/>), and a visibility timeout shorter than the time to live
    /// (7 days when not given).
    /// </summary>
    public static (string? VisibilityTimeout, string? TimeToLive) ValidateSend(TimeSpan? visibilityTimeout, TimeSpan? timeToLive)
    {
        int? visibility = visibilityTimeout is { } v ? Seconds(v, TimeSpan.Zero, SevenDays, nameof(visibilityTimeout)) : null;
        int? ttl = timeToLive switch
        {
            null => null,
            { } never when never == NeverExpires || never == Timeout.InfiniteTimeSpan => -1,
            { } t => Seconds(t, TimeSpan.FromSeconds(1), LongestTimeToLive, nameof(timeToLive)),
        };
        var timeToLiveSeconds = ttl ?? (int)SevenDays.TotalSeconds;
        if (visibility is { } seconds && ttl is not -1 && seconds >= timeToLiveSeconds)
        {
            throw new ArgumentException(
                $"The visibility timeout ({seconds} s) must be shorter than the time to live ({timeToLiveSeconds} s{(ttl is null ? ", the default" : "")}).",
                nameof(visibilityTimeout));
        }
        return (visibility?.ToString(CultureInfo.InvariantCulture), ttl?.ToString(CultureInfo.InvariantCulture));
    }

    private static string Describe(TimeSpan value) => value == SevenDays
        ? "7 days"
        : value == LongestTimeToLive ? $"{int.MaxValue} seconds" : $"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";

    [GeneratedRegex(@"^[a-z0-9](?:-?[a-z0-9])*\z")]
    private static partial Regex QueueName();
}
