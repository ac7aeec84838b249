using Lineage.Runtime.Cluster.Placement;

namespace Lineage.Runtime.Cluster.Membership;

/// <summary>One silo's current, immutable picture of the cluster: the table as last read, and the ring of silos that own grains.</summary>
internal sealed class MembershipView
{
    public MembershipView(MembershipSnapshot snapshot, SiloAddress self, SiloStatus selfStatus)
    {
        Snapshot = snapshot;
        Self = self;
        SelfStatus = selfStatus;

        // Only active silos own grains: a joining silo is not serving yet and a leaving one is handing its grains back.
        Ring = new ConsistentHashRing(snapshot.Entries.Where(e => e.Status == SiloStatus.Active).Select(e => e.Silo));
    }

    public MembershipSnapshot Snapshot { get; }

    public SiloAddress Self { get; }

    /// <summary>This silo's own status as it last wrote it (which may be ahead of the snapshot).</summary>
    public SiloStatus SelfStatus { get; }

    public ConsistentHashRing Ring { get; }

    public long Version => Snapshot.Version;
}
