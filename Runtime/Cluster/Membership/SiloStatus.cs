namespace Lineage.Runtime.Cluster.Membership;

/// <summary>Where a silo is in its life; a silo only ever moves forward through these states.</summary>
public enum SiloStatus
{
    /// <summary>Registered, not yet serving: it owns no grains yet.</summary>
    Joining = 1,

    /// <summary>Serving and owning its share of the grains.</summary>
    Active = 2,

    /// <summary>Leaving cleanly: it hands its grains back and owns none.</summary>
    ShuttingDown = 3,

    /// <summary>Gone, by its own shutdown or declared dead by its peers; never comes back.</summary>
    Dead = 4,
}
