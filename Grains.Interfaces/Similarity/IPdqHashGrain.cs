using Lineage.Runtime;

namespace Lineage.Grains.Similarity;

/// <summary>One distinct PDQ hash (keyed by its 64-digit lower-case hex): the owners it was seen with, whether the partitions
/// of the near-duplicate index hold it yet, and its place in its near-duplicate group.</summary>
/// <remarks>Near-duplicate groups are kept as a union-find forest over the hash grains: each hash points at a strictly smaller hash
/// of its group (or at nothing: it is the group's representative, the smallest hash of the group), and lists the hashes pointing at
/// it, so a group is read downward from its representative. See docs/pdq.md, "Near-duplicate groups".</remarks>
public interface IPdqHashGrain : IGrainWithStringKey
{
    /// <summary>Records an owner (idempotent) and the hash's quality; says whether the hash is already in the index partitions.</summary>
    Task<PdqHashRegistration> AddOwner(PdqOwner owner, int quality);

    /// <summary>Records that every index partition holds the hash durably.</summary>
    Task MarkIndexed();

    /// <summary>The owners and quality of the hash; an empty list when it was never registered.</summary>
    [ReadOnly]
    Task<PdqHashOwners> GetOwners();

    /// <summary>One page of the hash's owners in post-key order, after <paramref name="afterCursor"/> (the previous page's
    /// <see cref="PdqOwnerPage.NextCursor"/>; null for the first page); <paramref name="limit"/> is 1–10,000.</summary>
    [ReadOnly]
    Task<PdqOwnerPage> GetOwnerPage(string? afterCursor, int limit);

    /// <summary>The smaller hash this one is linked under in its group; null when it is the group's representative.</summary>
    [ReadOnly]
    Task<string?> GetGroupParent();

    /// <summary>Records that <paramref name="memberHash"/> may be linked under this hash (idempotent); called before the link so that
    /// a group read downward never misses a member.</summary>
    Task AddGroupMember(string memberHash);

    /// <summary>Links this hash under the smaller <paramref name="parentHash"/> if it is still a representative; otherwise changes
    /// nothing and returns the parent it already has, from which the caller retries.</summary>
    Task<string?> LinkUnder(string parentHash);

    /// <summary>This hash's place in its group: its parent, quality, owners and the hashes recorded as linked under it.</summary>
    [ReadOnly]
    Task<PdqGroupNode> GetGroupNode();
}

/// <summary>The outcome of <see cref="IPdqHashGrain.AddOwner"/>: whether the partitions already hold the hash, and whether this owner
/// was new.</summary>
public sealed record PdqHashRegistration(bool Indexed, bool NewOwner);

/// <summary>The quality of a hash (the best seen) and the owners it was seen with, in post-key order: the first 1,000, with
/// <paramref name="MoreOwners"/> true when there are more.</summary>
public sealed record PdqHashOwners(int Quality, IReadOnlyList<PdqOwner> Owners, bool MoreOwners = false);

/// <summary>A page of a hash's owners in post-key order; <paramref name="NextCursor"/> is passed for the next page, null at the end.</summary>
public sealed record PdqOwnerPage(IReadOnlyList<PdqOwner> Owners, string? NextCursor);

/// <summary>A hash in its near-duplicate group: the hash it is linked under (null for the representative), its quality and owners (the
/// first 1,000), and the hashes recorded as linked under it (some may have linked elsewhere: a reader keeps only those whose parent is
/// this hash; the first 100,000), each with whether more were left out.</summary>
public sealed record PdqGroupNode(
    string? Parent, int Quality, IReadOnlyList<PdqOwner> Owners, IReadOnlyList<string> Members, bool MoreOwners = false, bool MoreMembers = false);
