namespace Lineage.Grains.Walks;

/// <summary>Bucket arithmetic for timelines.</summary>
internal static class Timelines
{
    private static readonly TimeSpan[] Widths =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6),
        TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(365),
    ];

    /// <summary>The narrowest round width that covers <paramref name="span"/> in at most 50 buckets.</summary>
    public static TimeSpan ChooseBucket(TimeSpan span)
    {
        foreach (var width in Widths)
        {
            if (span.Ticks / width.Ticks < 50)
            {
                return width;
            }
        }

        return Widths[^1];
    }

    /// <summary><paramref name="time"/> rounded down to a multiple of <paramref name="width"/> since the Unix epoch (UTC).</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width)
    {
        var sinceEpoch = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var floored = sinceEpoch - (((sinceEpoch % width.Ticks) + width.Ticks) % width.Ticks);
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + floored, TimeSpan.Zero);
    }
}
