namespace Lineage.Grains.Similarity;

/// <summary>An indexed hash within the threshold of a query: the hash (hex), its distance, its quality, and what it belongs to (the first
/// 1,000 owners in post-key order; <paramref name="MoreOwners"/> when there are more).</summary>
public sealed record NearDuplicateMatch(string Hash, int Distance, int Quality, IReadOnlyList<PdqOwner> Owners, bool MoreOwners = false);

/// <summary>The outcome of adding a hash to the index: whether it was accepted (quality at or above the floor), why not if it was
/// refused, and every hash already indexed within the threshold (the retroactive matches), nearest first.</summary>
public sealed record NearDuplicateIndexResult(bool Accepted, string? RefusedBecause, IReadOnlyList<NearDuplicateMatch> Matches);
