namespace Lineage.Runtime.Cluster.Membership;

/// <summary>The cluster's membership table in a shared database: the single source of truth about which silos exist.</summary>
/// <remarks>
/// Implementations: SQLite (several silo processes on one machine sharing a file) and PostgreSQL (silos on several machines).
/// <para>Every change is a compare-and-swap on the table version of one cluster: <see cref="TryWriteAsync"/> applies only if the
/// version is still the one the caller read, and then increases it by one in the same transaction. So two silos that decide
/// something at once (two joins, two death declarations, a suspicion racing a shutdown) never overwrite each other: one of them
/// gets false, re-reads and decides again.</para>
/// <para>Rows of different <c>clusterId</c>s never see each other, so one database can hold several clusters (tests do).</para>
/// <para>Methods throw on database failures; the caller retries. A write that throws has an unknown outcome, which the CAS makes
/// safe: a re-read shows whether it happened.</para>
/// </remarks>
public interface IMembershipTable
{
    /// <summary>Creates or migrates the table's schema; called once when the silo or client starts.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads every row of the cluster and the table version, consistently (one transaction or snapshot).</summary>
    Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="entry"/> or replaces the row of the same <see cref="MembershipEntry.Silo"/>, if the table
    /// version is still <paramref name="expectedVersion"/>; the version then becomes <paramref name="expectedVersion"/> + 1.</summary>
    /// <returns>True if written; false if the version had moved on (nothing was changed).</returns>
    Task<bool> TryWriteAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="silo"/> is alive at <paramref name="at"/>, without a CAS and without changing the table
    /// version (it is a heartbeat, not a membership change). Does nothing if the row does not exist.</summary>
    Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes the rows of silos that are <see cref="SiloStatus.Dead"/> and whose <see cref="MembershipEntry.IAmAliveAt"/> is
    /// older than <paramref name="olderThan"/>; does not change the table version. Returns how many rows went.</summary>
    Task<int> DeleteDeadAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
