namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// A clock that reads a fixed instant (so "today" is known) while timers and delays run in real time,
/// which background loops need. Microsoft.Extensions.TimeProvider.Testing is not in the package feed.
/// </summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>2026-11-22 10:00 in China (02:00 UTC).</summary>
    public static readonly DateTimeOffset Default = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
