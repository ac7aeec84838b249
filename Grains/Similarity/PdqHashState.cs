namespace Lineage.Grains.Similarity;

/// <summary>Stored state of a <see cref="PdqHashGrain"/>: fixed-size; its growing lists (owners, group members) are edge rows.</summary>
public sealed class PdqHashState
{
    /// <summary>The best quality this hash was registered with.</summary>
    public int Quality { get; set; }

    /// <summary>Whether every index partition holds the hash durably.</summary>
    public bool Indexed { get; set; }

    /// <summary>The smaller hash of the same near-duplicate group this one is linked under; null for the group's representative.</summary>
    public string? GroupParent { get; set; }
}
