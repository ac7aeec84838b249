namespace Lineage.Runtime.Statistics;

/// <summary>A lock-free histogram of durations in power-of-two microsecond buckets (bucket i holds [2^(i-1), 2^i) µs).</summary>
/// <remarks>Recording is one increment; percentiles are interpolated within a bucket, so they are exact to within a factor of two
/// at worst and usually much closer. 28 buckets reach past 2^27 µs (134 s), beyond any request timeout.</remarks>
public sealed class LatencyHistogram
{
    /// <summary>Number of buckets; the last one also holds everything longer.</summary>
    public const int BucketCount = 28;

    private readonly long[] _buckets = new long[BucketCount];
    private long _sumMicroseconds;

    /// <summary>The sum of every recorded duration in microseconds, for exporters that report a mean or a histogram's sum
    /// (Prometheus' <c>_sum</c>); the buckets alone cannot give it.</summary>
    public long SumMicroseconds => Volatile.Read(ref _sumMicroseconds);

    /// <summary>Records one duration given in microseconds.</summary>
    public void Record(long microseconds)
    {
        var bucket = microseconds <= 0 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)microseconds);
        if (bucket >= BucketCount)
        {
            bucket = BucketCount - 1;
        }

        Interlocked.Increment(ref _buckets[bucket]);
        if (microseconds > 0)
        {
            Interlocked.Add(ref _sumMicroseconds, microseconds);
        }
    }

    /// <summary>A consistent-enough copy of the counts for reporting.</summary>
    public long[] Snapshot()
    {
        var copy = new long[BucketCount];
        for (var i = 0; i < BucketCount; i++)
        {
            copy[i] = Volatile.Read(ref _buckets[i]);
        }

        return copy;
    }

    /// <summary>Upper bound of bucket <paramref name="index"/> in microseconds.</summary>
    public static long BucketUpperBoundMicroseconds(int index) => 1L << index;

    /// <summary>The <paramref name="quantile"/> (0..1) of the counts in <paramref name="buckets"/>, in microseconds; 0 when empty.</summary>
    public static double Percentile(ReadOnlySpan<long> buckets, double quantile)
    {
        long total = 0;
        foreach (var count in buckets)
        {
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = quantile * total;
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (buckets[i] == 0)
            {
                continue;
            }

            if (seen + buckets[i] >= rank)
            {
                double lower = i == 0 ? 0 : 1L << (i - 1);
                double upper = 1L << i;
                var within = (rank - seen) / buckets[i];
                return lower + ((upper - lower) * within);
            }

            seen += buckets[i];
        }

        return 1L << (buckets.Length - 1);
    }
}
