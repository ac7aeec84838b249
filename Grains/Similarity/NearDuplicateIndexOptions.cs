namespace Lineage.Grains.Similarity;

/// <summary>Settings of the near-duplicate index of PDQ hashes.</summary>
public sealed class NearDuplicateIndexOptions
{
    /// <summary>Conventional configuration section ("Similarity:Pdq").</summary>
    public const string SectionName = "Similarity:Pdq";

    /// <summary>Largest Hamming distance reported as a match, 0–63. Default: 31, the distance at which PDQ declares a match.
    /// Costs grow with it: each partition probes every slot value within <c>Threshold / 16</c> bits of the query's.</summary>
    public int Threshold { get; set; } = 31;

    /// <summary>Hashes with a quality below this are neither indexed nor searched for (they match too much noise). Default: 50.</summary>
    public int QualityFloor { get; set; } = 50;

    /// <summary>How many partitions (grains) share the hashes, 1–1,024; each hash is in one, and a search asks all of them. More
    /// partitions spread the index over more silos, but each adds a fixed cost to every search (its 16 × 17 bucket probes at threshold
    /// 31) and about 13 MB of bucket tables once active. Fixed for the life of the data: the partitions' keys include it, and the index
    /// records it when first used, so a silo configured with another count refuses the index by name. Default: 4 (at 10 M hashes on
    /// two cores, 4,200–4,700 searches/s; see docs/benchmarks.md).</summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Hashes per stored segment of a partition (32 bytes each). A partition rewrites at most its last, partly filled segment
    /// when it adds, so this bounds the bytes written per add. Default: 1,024 (32 KB).</summary>
    public int SegmentCapacity { get; set; } = 1024;

    /// <summary>The grain storage provider that holds the partitions' segments. Default: "Default".</summary>
    public string StorageName { get; set; } = "Default";

    /// <summary>Throws if a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (Threshold is < 0 or > 63)
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The near-duplicate threshold must be between 0 and 63 bits.");
        }

        if (QualityFloor is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(QualityFloor), QualityFloor, "The quality floor must be between 0 and 100.");
        }

        if (Partitions is < 1 or > NearDuplicatePartitionKey.MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(Partitions), Partitions, $"The number of partitions must be between 1 and {NearDuplicatePartitionKey.MaxCount}.");
        }

        if (SegmentCapacity is < 1 or > 1 << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(SegmentCapacity), SegmentCapacity, "The segment capacity must be between 1 and 1,048,576 hashes.");
        }
    }
}
