namespace Lineage.Runtime.Cluster.Membership;

/// <summary>One silo's row in the membership table.</summary>
/// <param name="Silo">The silo's identity.</param>
/// <param name="Status">Its current state.</param>
/// <param name="HostName">The machine's name, for operators.</param>
/// <param name="StartedAt">When the silo process started.</param>
/// <param name="IAmAliveAt">The last time the silo said it was alive; a liveness hint for operators and joining silos, not a
/// failure detector (probes are).</param>
/// <param name="Suspicions">Who suspects this silo of being dead, and since when.</param>
public sealed record MembershipEntry(
    SiloAddress Silo,
    SiloStatus Status,
    string HostName,
    DateTimeOffset StartedAt,
    DateTimeOffset IAmAliveAt,
    IReadOnlyList<Suspicion> Suspicions);

/// <summary>A record that <paramref name="Suspecter"/> missed enough probes of a silo at <paramref name="At"/>.</summary>
public sealed record Suspicion(SiloAddress Suspecter, DateTimeOffset At);
