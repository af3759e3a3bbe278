namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// A clock that reads a fixed instant unless a test moves it, while timers and delays run in real time (background
/// loops need them). Microsoft.Extensions.TimeProvider.Testing is not in the package feed.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    /// <summary>2026-11-22 10:00 in China (02:00 UTC).</summary>
    public static readonly DateTimeOffset Default = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
