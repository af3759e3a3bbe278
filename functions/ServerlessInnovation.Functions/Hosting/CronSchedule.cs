using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// A timer trigger's schedule: a six-field NCRONTAB expression <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>,
/// evaluated in UTC as the Functions host does without <c>WEBSITE_TIME_ZONE</c>.
/// </summary>
/// <remarks>
/// Each field takes <c>*</c>, a number, a range <c>a-b</c>, a list <c>a,b,c</c>, and steps <c>*/n</c>, <c>a-b/n</c> and
/// <c>a/n</c> (from <c>a</c> to the field's end). Months take <c>Jan</c>…<c>Dec</c> and days of the week <c>Sun</c>…<c>Sat</c>
/// (three letters or the full name, any case); day-of-week runs 0–6 from Sunday, and 7 is Sunday too. As in cron, when
/// both day-of-month and day-of-week are restricted (neither starts with <c>*</c>), a day matches if either matches.
/// </remarks>
public sealed class CronSchedule
{
    // Far enough for any day that exists: 29 February can be 8 years away (2096 → 2104), on a given weekday decades away.
    private const int SearchYears = 100;

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly Field[] Fields =
    [
        new("second", 0, 59, null, 0),
        new("minute", 0, 59, null, 0),
        new("hour", 0, 23, null, 0),
        new("day", 1, 31, null, 0),
        new("month", 1, 12, MonthNames, 1),
        new("day-of-week", 0, 7, DayNames, 0),
    ];

    private readonly ulong _seconds;
    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _days;
    private readonly ulong _months;
    private readonly ulong _daysOfWeek;

    // Cron's rule: a restricted day-of-month and a restricted day-of-week match either; otherwise both must match.
    private readonly bool _eitherDay;

    private CronSchedule(string expression, ulong[] masks, bool eitherDay)
    {
        Expression = expression;
        (_seconds, _minutes, _hours, _days, _months, _daysOfWeek) = (masks[0], masks[1], masks[2], masks[3], masks[4], masks[5]);
        _eitherDay = eitherDay;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>Parses a six-field NCRONTAB expression.</summary>
    /// <exception cref="FormatException">The expression is not a valid six-field schedule, or it can never occur (30 February); the message says why.</exception>
    public static CronSchedule Parse(string expression) =>
        TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);

    /// <summary>Parses a six-field NCRONTAB expression, or says why it is not one.</summary>
    public static bool TryParse(string? expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var parts = (expression ?? "").Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != Fields.Length)
        {
            error = $"Schedule '{expression}' has {parts.Length} fields; an NCRONTAB schedule has 6: " +
                    "{second} {minute} {hour} {day} {month} {day-of-week}, e.g. '0 */5 * * * *' (every five minutes).";
            return false;
        }
        var masks = new ulong[Fields.Length];
        for (var i = 0; i < Fields.Length; i++)
        {
            if (!Fields[i].TryParse(parts[i], out masks[i], out var fieldError))
            {
                error = $"Schedule '{expression}': the {Fields[i].Name} field '{parts[i]}' is invalid: {fieldError}";
                return false;
            }
        }
        // Sunday may be written 0 or 7.
        masks[5] = (masks[5] | (masks[5] >> 7)) & 0x7F;

        var eitherDay = !parts[3].StartsWith('*') && !parts[5].StartsWith('*');
        if (!eitherDay && !AnyDayExists(masks[3], masks[4]))
        {
            error = $"Schedule '{expression}' never occurs: none of its months has any of its days.";
            return false;
        }
        schedule = new CronSchedule(expression!, masks, eitherDay);
        error = null;
        return true;
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC (offset zero).</summary>
    public DateTimeOffset NextOccurrence(DateTimeOffset after)
    {
        var utc = after.UtcDateTime;
        var t = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(SearchYears);
        while (t < limit)
        {
            if (!Has(_months, t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
                continue;
            }
            if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
                continue;
            }
            var hour = NextIn(_hours, t.Hour, 23);
            if (hour < 0)
            {
                t = t.Date.AddDays(1);
                continue;
            }
            if (hour > t.Hour)
            {
                t = t.Date.AddHours(hour);
            }
            var minute = NextIn(_minutes, t.Minute, 59);
            if (minute < 0)
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }
            if (minute > t.Minute)
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(minute);
            }
            var second = NextIn(_seconds, t.Second, 59);
            if (second < 0)
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
                continue;
            }
            return new DateTimeOffset(t.Date.AddHours(t.Hour).AddMinutes(t.Minute).AddSeconds(second), TimeSpan.Zero);
        }
        throw new InvalidOperationException($"Schedule '{Expression}' has no occurrence within {SearchYears} years after {after:O}.");
    }

    public override string ToString() => Expression;

    private bool DayMatches(DateTime day)
    {
        var dayOfMonth = Has(_days, day.Day);
        var dayOfWeek = Has(_daysOfWeek, (int)day.DayOfWeek);
        return _eitherDay ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
    }

    private static bool Has(ulong mask, int value) => (mask & (1UL << value)) != 0;

    /// <summary>The smallest value in <paramref name="mask"/> from <paramref name="from"/> up to <paramref name="max"/>, or -1.</summary>
    private static int NextIn(ulong mask, int from, int max)
    {
        var rest = mask >> from;
        if (rest == 0)
        {
            return -1;
        }
        var value = from + BitOperations.TrailingZeroCount(rest);
        return value <= max ? value : -1;
    }

    /// <summary>Whether some selected month has some selected day (29 February counts: it happens).</summary>
    private static bool AnyDayExists(ulong days, ulong months)
    {
        for (var month = 1; month <= 12; month++)
        {
            if (Has(months, month) && NextIn(days, 1, DateTime.DaysInMonth(2000, month)) > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>One field: its range, its names (index 0 = <paramref name="FirstNameValue"/>), and how to read it.</summary>
    private sealed record Field(string Name, int Min, int Max, string[]? Names, int FirstNameValue)
    {
        public bool TryParse(string text, out ulong mask, [NotNullWhen(false)] out string? error)
        {
            mask = 0;
            foreach (var item in text.Split(','))
            {
                if (!TryParseItem(item, ref mask, out error))
                {
                    return false;
                }
            }
            error = null;
            return true;
        }

        private bool TryParseItem(string item, ref ulong mask, [NotNullWhen(false)] out string? error)
        {
            if (item.Length == 0)
            {
                error = "a list has an empty item.";
                return false;
            }
            var step = 1;
            var range = item;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                range = item[..slash];
                var stepText = item[(slash + 1)..];
                if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > Max - Min + 1)
                {
                    error = $"the step '{stepText}' must be a whole number from 1 to {Max - Min + 1}.";
                    return false;
                }
            }

            int first, last;
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (range == "*")
            {
                (first, last) = (Min, Max);
            }
            else if (dash >= 0)
            {
                if (!TryParseValue(range[..dash], out first, out error) || !TryParseValue(range[(dash + 1)..], out last, out error))
                {
                    return false;
                }
                if (first > last)
                {
                    error = $"the range '{range}' runs backwards.";
                    return false;
                }
            }
            else
            {
                if (!TryParseValue(range, out first, out error))
                {
                    return false;
                }
                last = slash >= 0 ? Max : first;
            }

            for (var value = first; value <= last; value += step)
            {
                mask |= 1UL << value;
            }
            error = null;
            return true;
        }

        private bool TryParseValue(string text, out int value, [NotNullWhen(false)] out string? error)
        {
            error = null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
            {
                if (value >= Min && value <= Max)
                {
                    return true;
                }
                error = $"{value} is outside {Min}-{Max}.";
                return false;
            }
            if (Names is not null && text.Length >= 3)
            {
                var index = Array.FindIndex(Names, n =>
                    n.Equals(text, StringComparison.OrdinalIgnoreCase) || (text.Length == 3 && n.StartsWith(text, StringComparison.OrdinalIgnoreCase)));
                if (index >= 0)
                {
                    value = index + FirstNameValue;
                    return true;
                }
            }
            error = Names is null
                ? $"'{text}' is not a number from {Min} to {Max}."
                : $"'{text}' is neither a number from {Min} to {Max} nor a {Name} name such as {Names[1][..3]}.";
            return false;
        }
    }
}
