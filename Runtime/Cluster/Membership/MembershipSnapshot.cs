namespace Lineage.Runtime.Cluster.Membership;

/// <summary>The whole membership table of one cluster as read at one moment, with the table version that read saw.</summary>
/// <param name="Version">The table version: every accepted change increases it by exactly one; 0 for a cluster with no rows.</param>
/// <param name="Entries">Every silo that ever joined and was not yet cleaned up, dead ones included, in no particular order.</param>
public sealed record MembershipSnapshot(long Version, IReadOnlyList<MembershipEntry> Entries)
{
    /// <summary>The view of a cluster nobody has joined yet.</summary>
    public static MembershipSnapshot Empty { get; } = new(0, []);
}
