namespace ServerlessInnovation.Domain;

/// <summary>The service's calendar: China Standard Time, UTC+8 all year (no daylight saving).</summary>
public static class ChinaStandardTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset ToChina(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The calendar day in China at <paramref name="instant"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToChina(instant).DateTime);
}
