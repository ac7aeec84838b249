using Lineage.Runtime;

namespace Lineage.Grains.Similarity;

/// <summary>One distinct PDQ hash (keyed by its 64-digit lower-case hex): the owners it was seen with, and whether the partitions
/// of the near-duplicate index hold it yet.</summary>
public interface IPdqHashGrain : IGrainWithStringKey
{
    /// <summary>Records an owner (idempotent) and the hash's quality; says whether the hash is already in the index partitions.</summary>
    Task<PdqHashRegistration> AddOwner(PdqOwner owner, int quality);

    /// <summary>Records that every index partition holds the hash durably.</summary>
    Task MarkIndexed();

    /// <summary>The owners and quality of the hash; an empty list when it was never registered.</summary>
    [ReadOnly]
    Task<PdqHashOwners> GetOwners();
}

/// <summary>The outcome of <see cref="IPdqHashGrain.AddOwner"/>: whether the partitions already hold the hash, and whether this owner
/// was new.</summary>
public sealed record PdqHashRegistration(bool Indexed, bool NewOwner);

/// <summary>The quality of a hash (the best seen) and the owners it was seen with, in the order they arrived.</summary>
public sealed record PdqHashOwners(int Quality, IReadOnlyList<PdqOwner> Owners);
