namespace ServerlessInnovation.Domain.Catalog;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose sequence depends on its seed alone, so generated
/// demo data are the same on every machine, culture and runtime. <see cref="System.Random"/> is not used because its
/// algorithm is an implementation detail that may change between .NET versions. Not for anything secret.
/// </summary>
internal sealed class DemoRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="count"/>) by multiply-and-shift; the bias is far below anything a demo can see.</summary>
    public int Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(((NextUInt64() >> 32) * (ulong)count) >> 32);
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>], both included.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Between(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public T PickWeighted<T>(IReadOnlyList<(T Item, int Weight)> items)
    {
        var total = 0;
        foreach (var (_, weight) in items)
        {
            total += weight;
        }
        var ticket = Next(total);
        foreach (var (item, weight) in items)
        {
            if (ticket < weight)
            {
                return item;
            }
            ticket -= weight;
        }
        throw new InvalidOperationException("Unreachable: the tickets add up to the total weight.");
    }

    /// <summary>Fisher–Yates, in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A uniform point of the unit disc, by rejection (no trigonometry, so no platform-dependent rounding).</summary>
    public (double X, double Y) InUnitDisc()
    {
        while (true)
        {
            var x = 2 * NextDouble() - 1;
            var y = 2 * NextDouble() - 1;
            if (x * x + y * y <= 1)
            {
                return (x, y);
            }
        }
    }
}
