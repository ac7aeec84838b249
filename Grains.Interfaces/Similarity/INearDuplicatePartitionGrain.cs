using Lineage.Runtime;

namespace Lineage.Grains.Similarity;

/// <summary>One partition of the near-duplicate index: the PDQ hashes whose 16-bit slot <c>s</c> has a value in one range, kept
/// durably and searched in memory (multi-index hashing; see docs/pdq.md).</summary>
/// <remarks>Keyed <c>"{slot:00}-{range}of{ranges}"</c> (see <c>NearDuplicatePartitionKey</c>). Hashes cross the wire as
/// <see cref="ulong"/> arrays, four words per hash in the order of the hash's hexadecimal form, which is compact and needs no parsing.</remarks>
public interface INearDuplicatePartitionGrain : IGrainWithStringKey
{
    /// <summary>Adds hashes (four words each) that are not already present; returns how many were new, once they are durable.</summary>
    Task<int> Add(ulong[] hashWords);

    /// <summary>Every hash in this partition within <paramref name="threshold"/> bits of <paramref name="queryWords"/> (four words)
    /// whose slot value is within <paramref name="radius"/> bits of the query's.</summary>
    [ReadOnly]
    Task<HashDistance[]> Match(ulong[] queryWords, int threshold, int radius);

    /// <summary>How many hashes the partition holds.</summary>
    [ReadOnly]
    Task<long> Count();
}
