using Lineage.Runtime.Cluster.Membership;

namespace Lineage.Runtime.Cluster;

/// <summary>This silo's current view of its cluster's membership, for operators' tools such as the dashboard.</summary>
public interface IClusterMembership
{
    /// <summary>This silo.</summary>
    SiloAddress Self { get; }

    /// <summary>The membership table as this silo last read it (refreshed every <see cref="ClusterOptions.TableRefreshPeriod"/> and on
    /// every peer's notice), dead silos included until <see cref="ClusterOptions.DeadSiloRetention"/> removes them.</summary>
    MembershipSnapshot Snapshot { get; }

    /// <summary>Raised after the view changes, on the thread that read the table; handlers must be quick.</summary>
    event Action<MembershipSnapshot>? Changed;
}
