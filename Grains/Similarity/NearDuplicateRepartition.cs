namespace Lineage.Grains.Similarity;

/// <summary>What <see cref="NearDuplicateIndex.RepartitionAsync"/> did: the partition counts before and after, and how many hashes it
/// copied (0 when the counts already agreed).</summary>
public sealed record NearDuplicateRepartition(int From, int To, long Hashes);
