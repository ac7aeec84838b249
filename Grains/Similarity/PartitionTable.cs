using System.Numerics;
using Lineage.Media.Pdq;

namespace Lineage.Grains.Similarity;

/// <summary>The in-memory table of one partition: its hashes, each stored once, and 16 multi-index tables of compact entries pointing
/// at them (one per slot), so a search probes this partition's share of the index without another partition's help.</summary>
/// <remarks>
/// <para>Memory per hash: 32 bytes for the hash and 16 × 16 bytes of entries (plus a quarter of growth room at most), about 300 bytes,
/// where storing the full hash in every slot's table costs 512 — and nothing per hash for the collector to trace.</para>
/// <para>Not thread-safe: one activation's turns use it, one at a time.</para>
/// <para>Hashes live in chunks of 65,536 (2 MB each) so the store grows without copying and without one huge array.</para>
/// </remarks>
internal sealed class PartitionTable
{
    private const int ChunkBits = 16;
    private const int ChunkMask = (1 << ChunkBits) - 1;
    private const int FirstChunkLength = 1 << 10;
    private const int RepackFrom = 1 << 16;

    private readonly SlotTable[] _slots = new SlotTable[PdqHash.SlotCount];
    private PdqHash[][] _chunks = [];
    private SlotEntry[]?[] _probeBuckets = [];
    private int[] _probeCounts = [];
    private int _touched;
    private int _packedAt;
    private int _repacking = -1;
    private int _count;
    private int _indexed;

    public PartitionTable()
    {
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            _slots[slot] = new SlotTable();
        }
    }

    /// <summary>Number of hashes held.</summary>
    public int Count => _count;

    /// <summary>Adds <paramref name="hash"/> unless it is already held; true when added.</summary>
    public bool Add(in PdqHash hash)
    {
        EnsureIndexed();
        var probe = SlotEntry.For(hash, 0, 0);
        foreach (ref readonly var entry in _slots[0][hash.GetSlot(0)])
        {
            if (entry.PartialDistanceTo(probe) == 0 && HashAt(entry.Id) == hash)
            {
                return false;
            }
        }

        var id = Store(hash);
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            _slots[slot].Add(hash.GetSlot(slot), SlotEntry.For(hash, slot, id));
        }

        _indexed = _count;
        return true;
    }

    /// <summary>Copies the hashes from position <paramref name="from"/> (in the order they were stored) into <paramref name="destination"/>,
    /// as many as it holds.</summary>
    public void CopyHashes(int from, Span<PdqHash> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from + destination.Length, _count);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = HashAt(from + i);
        }
    }

    /// <summary>Does one step of upkeep, if any is due: once the table has grown by a quarter since it was last packed (from 65,536
    /// hashes on), repacks one slot's table per call, so the work (tens of milliseconds per slot at millions of hashes) is spread over 16
    /// calls rather than stalling one. Packed buckets get a quarter of room, so until the next repack most grow in place.</summary>
    public void Maintain()
    {
        if (_repacking < 0 && _count >= RepackFrom && _count >= _packedAt + (_packedAt / 4))
        {
            _repacking = 0;
        }

        if (_repacking >= 0)
        {
            _slots[_repacking++].Repack();
            if (_repacking == _slots.Length)
            {
                _repacking = -1;
                _packedAt = _count;
            }
        }
    }

    /// <summary>Stores hashes read back from the partition's own log, which holds each once, without indexing them yet; call
    /// <see cref="IndexAppended"/> when the last is in, so each slot's buckets are sized once, exactly.</summary>
    public void AppendUnindexed(ReadOnlySpan<PdqHash> hashes)
    {
        foreach (ref readonly var hash in hashes)
        {
            Store(hash);
        }
    }

    /// <summary>Indexes the hashes stored by <see cref="AppendUnindexed"/>.</summary>
    public void IndexAppended()
    {
        if (_indexed == _count)
        {
            return;
        }

        var extra = new int[1 << 16];
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            Array.Clear(extra);
            for (var id = _indexed; id < _count; id++)
            {
                extra[HashAt(id).GetSlot(slot)]++;
            }

            var table = _slots[slot];
            table.Reserve(extra);
            for (var id = _indexed; id < _count; id++)
            {
                ref readonly var hash = ref HashAt(id);
                table.Add(hash.GetSlot(slot), SlotEntry.For(hash, slot, id));
            }
        }

        _indexed = _count;
        _packedAt = _count;
    }

    /// <summary>Adds to <paramref name="matches"/> every held hash within <paramref name="threshold"/> of <paramref name="query"/>, each
    /// once. <paramref name="masks"/> must be <see cref="SlotProbes.Masks"/> of a radius of at least ⌊threshold / 16⌋.</summary>
    public void Match(in PdqHash query, int threshold, ReadOnlySpan<ushort> masks, List<HashDistance> matches)
    {
        EnsureIndexed();
        var radius = BitOperations.PopCount((uint)masks[^1]);
        var probes = PdqHash.SlotCount * masks.Length;
        if (_probeBuckets.Length < probes)
        {
            _probeBuckets = new SlotEntry[]?[probes];
            _probeCounts = new int[probes];
        }

        // First every bucket of every probe, then their entries: each bucket is a cache miss (two, with its array), and gathering them
        // in one loop of independent loads lets the processor wait for many at once. Scanning as they come made a partition's 272
        // probes cost more than its whole scan at 10 M hashes.
        var buckets = _probeBuckets;
        var counts = _probeCounts;
        var touched = 0;
        for (int slot = 0, probe = 0; slot < _slots.Length; slot++)
        {
            var table = _slots[slot];
            var value = query.GetSlot(slot);
            foreach (var mask in masks)
            {
                var bucket = table.Bucket((ushort)(value ^ mask), out counts[probe]);
                buckets[probe++] = bucket;

                // Reading the first entry here starts its miss alongside the others' (a prefetch without unsafe code).
                touched ^= bucket is { Length: > 0 } ? bucket[0].Id : 0;
            }
        }

        _touched = touched;

        for (int slot = 0, probe = 0; slot < _slots.Length; slot++)
        {
            var filter = SlotEntry.For(query, slot, 0);
            foreach (var mask in masks)
            {
                var bucket = buckets[probe];
                var count = counts[probe];
                buckets[probe++] = null;
                if (bucket is null)
                {
                    continue;
                }

                // The slot's own bits already differ in popcount(mask) places, and the filter bits are outside them.
                var budget = threshold - BitOperations.PopCount(mask);
                foreach (ref readonly var entry in bucket.AsSpan(0, count))
                {
                    if (entry.PartialDistanceTo(filter) > budget)
                    {
                        continue;
                    }

                    ref readonly var candidate = ref HashAt(entry.Id);
                    var distance = candidate.DistanceTo(query);

                    // A hash close in several slots is met in each; it is reported from the first, so once.
                    if (distance <= threshold && FirstSlotWithin(candidate, query, radius) == slot)
                    {
                        matches.Add(new HashDistance(candidate.W0, candidate.W1, candidate.W2, candidate.W3, distance));
                    }
                }
            }
        }
    }

    private static int FirstSlotWithin(in PdqHash candidate, in PdqHash query, int radius)
    {
        var slot = 0;
        while (slot < PdqHash.SlotCount - 1 && BitOperations.PopCount((uint)(candidate.GetSlot(slot) ^ query.GetSlot(slot))) > radius)
        {
            slot++;
        }

        return slot;
    }

    private ref readonly PdqHash HashAt(int id) => ref _chunks[id >> ChunkBits][id & ChunkMask];

    private int Store(in PdqHash hash)
    {
        var id = _count;
        if ((id >> ChunkBits) == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length + 1);
            _chunks[^1] = new PdqHash[id == 0 ? FirstChunkLength : 1 << ChunkBits];
        }
        else if (_chunks.Length == 1 && id == _chunks[0].Length)
        {
            // The first chunk starts small and doubles, so a partition holding a few hashes does not take 2 MB.
            Array.Resize(ref _chunks[0], id * 2);
        }

        _chunks[id >> ChunkBits][id & ChunkMask] = hash;
        _count = id + 1;
        return id;
    }

    private void EnsureIndexed()
    {
        if (_indexed != _count)
        {
            throw new InvalidOperationException($"{_count - _indexed} appended hashes are not indexed yet; call {nameof(IndexAppended)} first.");
        }
    }
}
