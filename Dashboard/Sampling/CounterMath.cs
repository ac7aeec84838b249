using Lineage.Runtime.Statistics;

namespace Lineage.Dashboard.Sampling;

/// <summary>Turns cumulative counters into what happened between two readings, and latency histograms into percentiles.</summary>
internal static class CounterMath
{
    /// <summary>What a counter counted between two readings; a counter that went backwards was reset (its silo restarted), so
    /// everything it holds now happened since.</summary>
    public static long Delta(long previous, long current) => current >= previous ? current - previous : current;

    /// <summary>The per-bucket <see cref="Delta(long, long)"/> of two histograms; one bucket going backwards means the whole
    /// histogram was reset, and then the current counts are the delta.</summary>
    public static long[] Delta(IReadOnlyList<long>? previous, IReadOnlyList<long> current)
    {
        var delta = new long[current.Count];
        var reset = previous is null;
        for (var i = 0; !reset && i < current.Count; i++)
        {
            var before = i < previous!.Count ? previous[i] : 0;
            reset = current[i] < before;
            delta[i] = current[i] - before;
        }

        if (reset)
        {
            for (var i = 0; i < current.Count; i++)
            {
                delta[i] = current[i];
            }
        }

        return delta;
    }

    /// <summary>Adds <paramref name="counts"/> bucket by bucket into <paramref name="into"/>, which must be at least as long.</summary>
    public static void Add(long[] into, IReadOnlyList<long> counts)
    {
        for (var i = 0; i < counts.Count && i < into.Length; i++)
        {
            into[i] += counts[i];
        }
    }

    /// <summary>A histogram without its trailing empty buckets: what crosses the network each second is a few numbers, not 28.</summary>
    public static long[] Trim(long[] histogram)
    {
        var length = histogram.Length;
        while (length > 0 && histogram[length - 1] == 0)
        {
            length--;
        }

        return length == histogram.Length ? histogram : histogram[..length];
    }

    /// <summary>The <paramref name="quantile"/> of a latency histogram in milliseconds; null when it counts nothing.</summary>
    public static double? PercentileMilliseconds(IReadOnlyList<long> histogram, double quantile)
    {
        var buckets = histogram as long[] ?? histogram.ToArray();
        var total = 0L;
        foreach (var count in buckets)
        {
            total += count;
        }

        return total == 0 ? null : Math.Round(LatencyHistogram.Percentile(buckets, quantile) / 1000.0, 3);
    }

    /// <summary>A per-second rate over <paramref name="seconds"/>; null when there is no interval to divide by.</summary>
    public static double? Rate(long delta, double seconds) => seconds > 0 ? Math.Round(delta / seconds, 3) : null;
}
