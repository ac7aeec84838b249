namespace Lineage.Grains.Similarity;

/// <summary>The answer to "what already seen is near this PDQ hash": matches with distances and owners, and the near-duplicate groups
/// (named "pdq:" + representative) the hash would join if a post carried it.</summary>
public sealed record SimilarResult(
    string Pdq,
    int Quality,
    int Threshold,
    bool Searched,
    string? RefusedBecause,
    IReadOnlyList<NearDuplicateMatch> Matches,
    IReadOnlyList<string> Groups);
