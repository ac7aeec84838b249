namespace Lineage.Runtime.Cluster;

/// <summary>How a silo joins and stays in a cluster: identity, messaging endpoint, secret and failure detection.</summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section these options are bound from.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Name of the cluster; silos and clients of different clusters never talk or share membership rows. Default "lineage".</summary>
    public string ClusterId { get; set; } = "lineage";

    /// <summary>Shared secret that authenticates silos and clients to each other (challenge/response; never sent). Required;
    /// at least 16 characters.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Address this silo listens on for silo-to-silo and client messages, and advertises in the membership table.
    /// Default 127.0.0.1.</summary>
    public string SiloHost { get; set; } = "127.0.0.1";

    /// <summary>Port this silo listens on for messages. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>How often a silo probes each of the peers it watches. Default 1 s.</summary>
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may go unanswered before it counts as missed. Default 1 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive missed probes after which a silo records its suspicion of a peer. Default 3.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How many peers each silo probes (the next ones after it in address order). Default 3.</summary>
    public int ProbedSilos { get; set; } = 3;

    /// <summary>Fresh suspicions from different silos that declare a silo dead; capped at the number of other live silos, so in a
    /// two-silo cluster one is enough. Default 2.</summary>
    public int SuspicionsToDeclareDead { get; set; } = 2;

    /// <summary>How long a suspicion counts as fresh. Default 3 min.</summary>
    public TimeSpan SuspicionExpiry { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often a silo re-reads the membership table, bounding how late it sees a change made by others. Default 1 s.</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a silo writes its I-am-alive time. Default 10 s.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Dead silos' rows older than this are deleted from the table. Default 1 day.</summary>
    public TimeSpan DeadSiloRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many times a call may be forwarded between silos that disagree about its grain's owner before it fails
    /// with <see cref="SiloUnavailableException"/> for the caller to retry. Default 2.</summary>
    public int MaxForwardHops { get; set; } = 2;

    /// <summary>Largest message accepted on a connection; a bigger frame closes the connection. Default 16 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long connecting to a peer (TCP plus authentication) may take. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws if a setting is out of range, naming it.</summary>
    public void Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidOperationException("Cluster options: " + message);
            }
        }

        Require(!string.IsNullOrWhiteSpace(ClusterId), "ClusterId must not be empty.");
        Require(Secret.Length >= 16, "Secret must be set and at least 16 characters long (it authenticates silos and clients).");
        Require(!string.IsNullOrWhiteSpace(SiloHost), "SiloHost must not be empty.");
        Require(SiloPort is > 0 and < 65536, $"SiloPort must be between 1 and 65535, not {SiloPort}.");
        Require(ProbePeriod > TimeSpan.Zero, "ProbePeriod must be positive.");
        Require(ProbeTimeout > TimeSpan.Zero, "ProbeTimeout must be positive.");
        Require(MissedProbesLimit >= 1, "MissedProbesLimit must be at least 1.");
        Require(ProbedSilos >= 1, "ProbedSilos must be at least 1.");
        Require(SuspicionsToDeclareDead >= 1, "SuspicionsToDeclareDead must be at least 1.");
        Require(SuspicionExpiry > TimeSpan.Zero, "SuspicionExpiry must be positive.");
        Require(TableRefreshPeriod > TimeSpan.Zero, "TableRefreshPeriod must be positive.");
        Require(IAmAlivePeriod > TimeSpan.Zero, "IAmAlivePeriod must be positive.");
        Require(MaxForwardHops >= 0, "MaxForwardHops must not be negative.");
        Require(MaxMessageBytes >= 1024, "MaxMessageBytes must be at least 1024.");
        Require(ConnectTimeout > TimeSpan.Zero, "ConnectTimeout must be positive.");
    }
}
