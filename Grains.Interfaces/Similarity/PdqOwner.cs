namespace Lineage.Grains.Similarity;

/// <summary>What an indexed PDQ hash belongs to: the content item (its fingerprint) and the post that carried it.</summary>
public sealed record PdqOwner(string ContentFingerprint, string PostKey);
