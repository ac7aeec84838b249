namespace Lineage.Grains.Similarity;

/// <summary>One slot's multi-index table in a partition: for each of the slot's 65,536 values, the entries of the hashes having it.</summary>
/// <remarks>One array per value, grown by a quarter so buckets stay near full; entries hold no references, so the collector never scans
/// inside them. A bucket is contiguous, so a probe reads it as one stream.</remarks>
internal sealed class SlotTable
{
    private const int Values = 1 << 16;

    private readonly SlotEntry[]?[] _buckets = new SlotEntry[]?[Values];
    private readonly int[] _counts = new int[Values];

    /// <summary>The entries of the hashes whose slot value is <paramref name="value"/>.</summary>
    public ReadOnlySpan<SlotEntry> this[ushort value] =>
        _buckets[value] is { } bucket ? bucket.AsSpan(0, _counts[value]) : [];

    /// <summary>The bucket of <paramref name="value"/> and how many of its entries are used, without touching the entries: a search
    /// gathers all its buckets first so their cache misses overlap instead of following one another.</summary>
    public SlotEntry[]? Bucket(ushort value, out int count)
    {
        count = _counts[value];
        return _buckets[value];
    }

    /// <summary>Adds one entry under <paramref name="value"/>.</summary>
    public void Add(ushort value, in SlotEntry entry)
    {
        var bucket = _buckets[value];
        var count = _counts[value];
        if (bucket is null || count == bucket.Length)
        {
            // A quarter more each time: memory matters at ten million hashes, and growth stays amortised.
            Array.Resize(ref bucket, count + (count / 4) + 2);
            _buckets[value] = bucket;
        }

        bucket[count] = entry;
        _counts[value] = count + 1;
    }

    /// <summary>Reallocates every bucket with a quarter of room, one after another in value order. Buckets that grew one by one are
    /// scattered over the heap, each allocated when it last filled; packed, neighbouring values sit together again (searches measured
    /// a quarter faster at 10 M hashes).</summary>
    public void Repack()
    {
        for (var value = 0; value < Values; value++)
        {
            var count = _counts[value];
            if (count > 0)
            {
                var packed = new SlotEntry[count + (count / 4) + 1];
                _buckets[value].AsSpan(0, count).CopyTo(packed);
                _buckets[value] = packed;
            }
        }
    }

    /// <summary>Makes room for <paramref name="extra"/> more entries per value in one step, sized exactly: a reload adds millions of
    /// entries at once, and growing a quarter at a time would leave most of them copied several times and a quarter of memory unused.</summary>
    public void Reserve(ReadOnlySpan<int> extra)
    {
        for (var value = 0; value < Values; value++)
        {
            var needed = _counts[value] + extra[value];
            if (extra[value] > 0 && (_buckets[value]?.Length ?? 0) < needed)
            {
                Array.Resize(ref _buckets[value], needed);
            }
        }
    }
}
