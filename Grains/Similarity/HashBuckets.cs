using Lineage.Media.Pdq;

namespace Lineage.Grains.Similarity;

/// <summary>The in-memory table of one partition: for each slot value of its range, the hashes having that value in its slot.</summary>
/// <remarks>Each hash is stored once here, as a 32-byte <see cref="PdqHash"/> in a per-value array that grows by a quarter, so memory is
/// about 36 bytes per hash with no object per hash for the garbage collector to trace. A search scans the few buckets whose value is
/// within the probe radius and compares full hashes, which are contiguous in memory.</remarks>
internal sealed class HashBuckets
{
    private readonly PdqHash[]?[] _buckets;
    private readonly int[] _counts;
    private readonly int _slot;
    private readonly int _first;

    public HashBuckets(NearDuplicatePartitionKey key)
    {
        _slot = key.Slot;
        _first = key.First;
        _buckets = new PdqHash[]?[key.Length];
        _counts = new int[key.Length];
    }

    /// <summary>Number of hashes held.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="hash"/> unless it is already held; true when added.</summary>
    /// <exception cref="ArgumentException">The hash's slot value is outside this partition's range.</exception>
    public bool Add(in PdqHash hash)
    {
        var index = IndexOf(hash.GetSlot(_slot));
        if (index < 0)
        {
            throw new ArgumentException($"Hash {hash} has slot {_slot} value {hash.GetSlot(_slot)}, outside this partition's range.", nameof(hash));
        }

        var bucket = _buckets[index];
        var count = _counts[index];
        if (bucket is not null && bucket.AsSpan(0, count).Contains(hash))
        {
            return false;
        }

        Append(index, hash);
        return true;
    }

    /// <summary>Adds <paramref name="hash"/> without looking for a copy: for reloading the partition's own log, which holds each hash
    /// once, where the duplicate check would cost more than the rest of the reload.</summary>
    public void AddKnownNew(in PdqHash hash)
    {
        var index = IndexOf(hash.GetSlot(_slot));
        if (index < 0)
        {
            throw new ArgumentException($"Hash {hash} has slot {_slot} value {hash.GetSlot(_slot)}, outside this partition's range.", nameof(hash));
        }

        Append(index, hash);
    }

    /// <summary>Adds to <paramref name="matches"/> every held hash within <paramref name="threshold"/> of <paramref name="query"/> whose slot
    /// value is the query's XORed with one of <paramref name="masks"/>.</summary>
    public void Match(in PdqHash query, int threshold, ReadOnlySpan<ushort> masks, List<HashDistance> matches)
    {
        var value = query.GetSlot(_slot);
        foreach (var mask in masks)
        {
            var index = IndexOf((ushort)(value ^ mask));
            if (index < 0 || _buckets[index] is not { } bucket)
            {
                continue;
            }

            foreach (ref readonly var candidate in bucket.AsSpan(0, _counts[index]))
            {
                var distance = candidate.DistanceTo(query);
                if (distance <= threshold)
                {
                    matches.Add(new HashDistance(candidate.W0, candidate.W1, candidate.W2, candidate.W3, distance));
                }
            }
        }
    }

    private void Append(int index, in PdqHash hash)
    {
        var bucket = _buckets[index];
        var count = _counts[index];
        if (bucket is null || count == bucket.Length)
        {
            // A quarter more each time: buckets stay near full (memory matters at ten million hashes) while growth stays amortised.
            Array.Resize(ref bucket, count + (count / 4) + 2);
            _buckets[index] = bucket;
        }

        bucket[count] = hash;
        _counts[index] = count + 1;
        Count++;
    }

    private int IndexOf(ushort value)
    {
        var index = value - _first;
        return (uint)index < (uint)_counts.Length ? index : -1;
    }
}
