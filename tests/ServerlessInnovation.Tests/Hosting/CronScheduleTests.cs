using System.Globalization;
using ServerlessInnovation.Functions.Hosting;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>The six-field NCRONTAB schedules of timer triggers, evaluated in UTC.</summary>
public sealed class CronScheduleTests
{
    private static DateTimeOffset At(string utc) =>
        DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static DateTimeOffset Next(string expression, string after) => CronSchedule.Parse(expression).NextOccurrence(At(after));

    /// <summary>The first <paramref name="count"/> occurrences after <paramref name="after"/>, in the round-trip format.</summary>
    private static string[] Occurrences(string expression, string after, int count)
    {
        var schedule = CronSchedule.Parse(expression);
        var result = new string[count];
        var t = At(after);
        for (var i = 0; i < count; i++)
        {
            t = schedule.NextOccurrence(t);
            result[i] = t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }
        return result;
    }

    [Theory]
    [InlineData("* * * * * *", "2026-11-22 02:00:00", "2026-11-22 02:00:01")]
    [InlineData("* * * * * *", "2026-11-22 02:00:00.999", "2026-11-22 02:00:01")]
    [InlineData("* * * * * *", "2026-12-31 23:59:59", "2027-01-01 00:00:00")]
    [InlineData("0 * * * * *", "2026-11-22 02:00:00", "2026-11-22 02:01:00")]
    [InlineData("0 */5 * * * *", "2026-11-22 02:03:10", "2026-11-22 02:05:00")]
    [InlineData("0 */1 * * * *", "2026-11-22 02:59:30", "2026-11-22 03:00:00")]
    [InlineData("30 15 10 * * *", "2026-11-22 10:15:30", "2026-11-23 10:15:30")]
    [InlineData("30 15 10 * * *", "2026-11-22 10:15:29", "2026-11-22 10:15:30")]
    [InlineData("0 0 2 * * *", "2026-11-22 02:00:00", "2026-11-23 02:00:00")]
    [InlineData("0 0 0 1 * *", "2026-01-31 12:00:00", "2026-02-01 00:00:00")]
    [InlineData("0 0 0 1 1 *", "2026-06-15 00:00:00", "2027-01-01 00:00:00")]
    [InlineData("0 0 9-17 * * *", "2026-11-22 17:00:01", "2026-11-23 09:00:00")]
    [InlineData("0 0 9-17/4 * * *", "2026-11-22 13:00:00", "2026-11-22 17:00:00")]
    [InlineData("0 0 10/6 * * *", "2026-11-22 16:00:00", "2026-11-22 22:00:00")]
    [InlineData("0 0 10/6 * * *", "2026-11-22 22:00:00", "2026-11-23 10:00:00")]
    [InlineData("0 0,30 * * * *", "2026-11-22 02:00:00", "2026-11-22 02:30:00")]
    [InlineData("5,10-12,40 0 0 * * *", "2026-11-22 00:00:10", "2026-11-22 00:00:11")]
    public void TheNextOccurrenceIsTheFirstMatchingSecondAfterTheGivenInstant(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), Next(expression, after));
    }

    [Fact]
    public void AnEverySecondScheduleOccursEverySecond()
    {
        Assert.Equal(
            ["2026-11-22 01:59:59", "2026-11-22 02:00:00", "2026-11-22 02:00:01", "2026-11-22 02:00:02"],
            Occurrences("* * * * * *", "2026-11-22 01:59:58.5", 4));
    }

    [Fact]
    public void StepsOnSecondsStartAtZeroAndRollIntoTheNextMinute()
    {
        Assert.Equal(
            ["2026-11-22 02:00:40", "2026-11-22 02:00:55", "2026-11-22 02:01:10", "2026-11-22 02:01:25"],
            Occurrences("10/15 * * * * *", "2026-11-22 02:00:30", 4));
        Assert.Equal(
            ["2026-11-22 02:00:45", "2026-11-22 02:01:00", "2026-11-22 02:01:15"],
            Occurrences("*/15 * * * * *", "2026-11-22 02:00:30", 3));
    }

    [Fact]
    public void TheResultIsUtcWhateverTheOffsetOfTheInput()
    {
        var afterInChina = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));

        var next = CronSchedule.Parse("0 30 2 * * *").NextOccurrence(afterInChina);

        Assert.Equal(TimeSpan.Zero, next.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 30, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("0 0 0 31 * *", "2026-01-31 00:00:00", "2026-03-31 00:00:00")]
    [InlineData("0 0 0 31 * *", "2026-04-01 00:00:00", "2026-05-31 00:00:00")]
    [InlineData("0 0 0 30 * *", "2026-01-30 00:00:00", "2026-03-30 00:00:00")]
    [InlineData("0 0 0 29 * *", "2026-01-29 00:00:00", "2026-03-29 00:00:00")]
    [InlineData("0 0 0 29 * *", "2028-01-29 00:00:00", "2028-02-29 00:00:00")]
    [InlineData("0 0 0 29 2 *", "2026-01-01 00:00:00", "2028-02-29 00:00:00")]
    [InlineData("0 0 0 29 2 *", "2028-02-29 00:00:00", "2032-02-29 00:00:00")]
    [InlineData("0 0 0 29 2 *", "2096-03-01 00:00:00", "2104-02-29 00:00:00")]
    [InlineData("0 0 0 29 2 *", "1999-03-01 00:00:00", "2000-02-29 00:00:00")]
    [InlineData("0 0 12 28-31 2 *", "2027-02-28 12:00:00", "2028-02-28 12:00:00")]
    [InlineData("0 0 12 28-31 2 *", "2028-02-28 12:00:00", "2028-02-29 12:00:00")]
    public void MonthEndsAndLeapDaysAreRespected(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), Next(expression, after));
    }

    [Fact]
    public void ThirtiethFebruaryNeverMatches()
    {
        Assert.Equal(
            ["2028-01-30 00:00:00", "2028-03-30 00:00:00", "2028-04-30 00:00:00"],
            Occurrences("0 0 0 30 * *", "2028-01-01 00:00:00", 3));
        Assert.Equal(
            ["2026-01-31 00:00:00", "2026-03-30 00:00:00", "2026-03-31 00:00:00", "2026-04-30 00:00:00", "2026-05-30 00:00:00"],
            Occurrences("0 0 0 30,31 1-8 *", "2026-01-30 00:00:00", 5));
    }

    [Theory]
    [InlineData("0 0 0 30 2 *")]
    [InlineData("0 0 0 30-31 Feb *")]
    [InlineData("0 0 0 31 4,6,9,11 *")]
    public void AScheduleThatCanNeverOccurIsRejected(string expression)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));

        Assert.Contains("never occurs", error.Message, StringComparison.Ordinal);
        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 9 * * 1", "2026-11-22 00:00:00", "2026-11-23 09:00:00")]
    [InlineData("0 0 9 * * Mon", "2026-11-22 00:00:00", "2026-11-23 09:00:00")]
    [InlineData("0 0 9 * * monday", "2026-11-22 00:00:00", "2026-11-23 09:00:00")]
    [InlineData("0 0 9 * * 0", "2026-11-22 10:00:00", "2026-11-29 09:00:00")]
    [InlineData("0 0 9 * * 7", "2026-11-22 10:00:00", "2026-11-29 09:00:00")]
    [InlineData("0 0 9 * * SUN", "2026-11-22 10:00:00", "2026-11-29 09:00:00")]
    [InlineData("0 0 9 * * Mon-Fri", "2026-11-27 10:00:00", "2026-11-30 09:00:00")]
    [InlineData("0 0 9 * * 1-5", "2026-11-21 10:00:00", "2026-11-23 09:00:00")]
    [InlineData("0 0 9 * * 5-7", "2026-11-23 10:00:00", "2026-11-27 09:00:00")]
    [InlineData("0 0 9 * * 6,7", "2026-11-23 10:00:00", "2026-11-28 09:00:00")]
    [InlineData("0 0 9 * * */2", "2026-11-22 10:00:00", "2026-11-24 09:00:00")]
    public void DaysOfTheWeekCountFromSundayAndSevenIsSundayToo(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), Next(expression, after));
    }

    [Theory]
    [InlineData("0 0 0 1 Jan *", "2026-06-01 00:00:00", "2027-01-01 00:00:00")]
    [InlineData("0 0 0 1 jan-mar *", "2026-02-01 00:00:00", "2026-03-01 00:00:00")]
    [InlineData("0 0 0 1 DEC *", "2026-06-01 00:00:00", "2026-12-01 00:00:00")]
    [InlineData("0 0 0 1 september *", "2026-06-01 00:00:00", "2026-09-01 00:00:00")]
    [InlineData("0 0 0 1 Jan,Jul *", "2026-02-01 00:00:00", "2026-07-01 00:00:00")]
    [InlineData("0 0 0 1 */3 *", "2026-02-01 00:00:00", "2026-04-01 00:00:00")]
    public void MonthsTakeNamesAsWellAsNumbers(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), Next(expression, after));
    }

    [Fact]
    public void WhenDayOfMonthAndDayOfWeekAreBothRestrictedEitherMatches()
    {
        // The 13th, and every Friday: 2026-11-13 is a Friday; 2026-12-13 is a Sunday.
        Assert.Equal(
            ["2026-11-13 00:00:00", "2026-11-20 00:00:00", "2026-11-27 00:00:00", "2026-12-04 00:00:00", "2026-12-11 00:00:00", "2026-12-13 00:00:00"],
            Occurrences("0 0 0 13 * Fri", "2026-11-12 00:00:00", 6));
    }

    [Fact]
    public void WhenOnlyOneDayFieldIsRestrictedOnlyThatOneCounts()
    {
        Assert.Equal(["2026-12-13 00:00:00", "2027-01-13 00:00:00"], Occurrences("0 0 0 13 * *", "2026-11-13 00:00:00", 2));
        Assert.Equal(["2026-11-20 00:00:00", "2026-11-27 00:00:00"], Occurrences("0 0 0 * * 5", "2026-11-13 00:00:00", 2));
        // A day-of-week step starts with '*': cron treats it as unrestricted, so both fields must match.
        Assert.Equal(["2026-12-01 00:00:00", "2027-04-01 00:00:00"], Occurrences("0 0 0 1 * */2", "2026-11-13 00:00:00", 2));
    }

    [Fact]
    public void ExtraWhitespaceBetweenFieldsIsAllowed()
    {
        Assert.Equal(At("2026-11-22 02:05:00"), Next("  0\t*/5  *  * * *  ", "2026-11-22 02:03:00"));
    }

    [Fact]
    public void TheExpressionIsKept()
    {
        Assert.Equal("0 */1 * * * *", CronSchedule.Parse("0 */1 * * * *").Expression);
        Assert.Equal("0 */1 * * * *", CronSchedule.Parse("0 */1 * * * *").ToString());
    }

    [Theory]
    [InlineData("", "0 fields")]
    [InlineData("* * * * *", "5 fields")]
    [InlineData("0 * * * * * *", "7 fields")]
    [InlineData("00:05:00", "1 fields")]
    [InlineData("60 * * * * *", "second field '60'")]
    [InlineData("* 60 * * * *", "minute field '60'")]
    [InlineData("* * 24 * * *", "hour field '24'")]
    [InlineData("* * * 0 * *", "day field '0'")]
    [InlineData("* * * 32 * *", "day field '32'")]
    [InlineData("* * * * 0 *", "month field '0'")]
    [InlineData("* * * * 13 *", "month field '13'")]
    [InlineData("* * * * * 8", "day-of-week field '8'")]
    [InlineData("* * * * Foo *", "month field 'Foo'")]
    [InlineData("* * * * * Funday", "day-of-week field 'Funday'")]
    [InlineData("* * * * Mo *", "month field 'Mo'")]
    [InlineData("* * Mon * * *", "hour field 'Mon'")]
    [InlineData("*/0 * * * * *", "step '0'")]
    [InlineData("*/61 * * * * *", "step '61'")]
    [InlineData("*/x * * * * *", "step 'x'")]
    [InlineData("5-2 * * * * *", "runs backwards")]
    [InlineData("1,,2 * * * * *", "empty item")]
    [InlineData("-1 * * * * *", "second field '-1'")]
    [InlineData("1-2-3 * * * * *", "second field '1-2-3'")]
    [InlineData("? * * * * *", "second field '?'")]
    [InlineData("L * * * * *", "second field 'L'")]
    public void AnInvalidExpressionIsRejectedWithAMessageSayingWhy(string expression, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(CronSchedule.TryParse(expression, out var schedule, out var message));
        Assert.Null(schedule);
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void TheFieldCountErrorShowsTheSixFieldFormat()
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse("*/5 * * * *"));

        Assert.Contains("{second} {minute} {hour} {day} {month} {day-of-week}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullExpressionIsRejected()
    {
        Assert.False(CronSchedule.TryParse(null, out _, out var error));
        Assert.Contains("0 fields", error, StringComparison.Ordinal);
    }
}
