namespace Lineage.Grains.Similarity;

/// <summary>Stored state of a <see cref="PdqHashGrain"/>.</summary>
public sealed class PdqHashState
{
    /// <summary>The best quality this hash was registered with.</summary>
    public int Quality { get; set; }

    /// <summary>Whether every index partition holds the hash durably.</summary>
    public bool Indexed { get; set; }

    /// <summary>Owners in arrival order, without duplicates.</summary>
    public List<PdqOwner> Owners { get; set; } = [];
}
