namespace Lineage.Media.Pdq;

/// <summary>A PDQ hash and the image's quality score (0–100; below 50 the hash is usually too weak to match on).</summary>
public readonly record struct PdqResult(PdqHash Hash, int Quality);

/// <summary>The PDQ hashes of all eight rotations and flips of one image, indexed by <see cref="PdqTransform"/>, and its quality.</summary>
public sealed record PdqDihedralResult(IReadOnlyList<PdqHash> Hashes, int Quality)
{
    /// <summary>The hash of the image transformed by <paramref name="transform"/>.</summary>
    public PdqHash this[PdqTransform transform] => Hashes[(int)transform];
}
