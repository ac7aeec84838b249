using Lineage.Runtime;

namespace Lineage.Grains.Similarity;

/// <summary>One partition of the near-duplicate index: a share of the PDQ hashes (each hash is in exactly one partition), kept durably
/// and searched in memory with multi-index hashing over its 16 slots (see docs/pdq.md).</summary>
/// <remarks>Keyed <c>"{index}of{count}"</c> (see <c>NearDuplicatePartitionKey</c>). Hashes cross the wire as
/// <see cref="ulong"/> arrays, four words per hash in the order of the hash's hexadecimal form, which is compact and needs no parsing.</remarks>
public interface INearDuplicatePartitionGrain : IGrainWithStringKey
{
    /// <summary>Adds hashes (four words each) that are not already present; returns how many were new, once they are durable.</summary>
    Task<int> Add(ulong[] hashWords);

    /// <summary>Every hash in this partition within <paramref name="threshold"/> bits (0–63) of <paramref name="queryWords"/> (four
    /// words), each once, in no particular order.</summary>
    [ReadOnly]
    Task<HashDistance[]> Match(ulong[] queryWords, int threshold);

    /// <summary>How many hashes the partition holds.</summary>
    [ReadOnly]
    Task<long> Count();

    /// <summary>Up to <paramref name="take"/> of the partition's hashes (four words each) from position <paramref name="skip"/> in the
    /// order they were added; fewer at the end. For moving an index to another partition count.</summary>
    [ReadOnly]
    Task<ulong[]> ReadHashes(int skip, int take);
}
