namespace ServerlessInnovation.Functions.Statistics;

/// <summary>
/// Times from submission to decision, kept as a histogram of logarithmic buckets 1 % wide: its size is fixed (about
/// 2,200 counters, up to 30 days), so a median over a million applications takes no more memory than over ten. The
/// median it gives is within 1 % (and 1 ms) of the exact one.
/// </summary>
public sealed class DecisionTimes
{
    private const double Growth = 1.01;
    private static readonly double LogGrowth = Math.Log(Growth);
    private static readonly int Buckets = BucketOf(TimeSpan.FromDays(30).TotalMilliseconds) + 1;

    private readonly long[] _counts = new long[Buckets];

    public long Count { get; private set; }

    public void Add(TimeSpan time)
    {
        var milliseconds = Math.Clamp(time.TotalMilliseconds, 0, TimeSpan.FromDays(30).TotalMilliseconds);
        _counts[BucketOf(milliseconds)]++;
        Count++;
    }

    /// <summary>The median in milliseconds (the lower one of an even count); null when there is none.</summary>
    public double? MedianMilliseconds()
    {
        if (Count == 0)
        {
            return null;
        }
        var rank = (Count + 1) / 2;
        long seen = 0;
        for (var bucket = 0; bucket < _counts.Length; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= rank)
            {
                // The bucket's middle: its bounds are Growth^b - 1 and Growth^(b+1) - 1 milliseconds.
                return Math.Round((Math.Pow(Growth, bucket + 0.5) - 1), 1);
            }
        }
        throw new InvalidOperationException("The histogram lost count.");
    }

    private static int BucketOf(double milliseconds) => (int)Math.Floor(Math.Log(milliseconds + 1) / LogGrowth);
}
