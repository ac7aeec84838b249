using Lineage.Runtime;

namespace Lineage.Grains.Similarity;

/// <summary>What the near-duplicate index was built with, kept so that a silo configured differently refuses to use it rather than
/// search an empty set of partitions (key: <c>"default"</c>).</summary>
public interface INearDuplicateIndexManifestGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="partitions"/> as the index's partition count if none is recorded yet; returns the recorded one.</summary>
    Task<int> ClaimPartitions(int partitions);

    /// <summary>Records <paramref name="to"/> as the partition count if <paramref name="from"/> is the recorded one (once the hashes
    /// have been copied into the new partitions); returns the count recorded afterwards.</summary>
    Task<int> MovePartitions(int from, int to);
}
