using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster.Membership;

/// <summary>Log messages of the membership protocol.</summary>
internal static partial class MembershipLog
{
    [LoggerMessage(3101, LogLevel.Information, "Silo {Silo} is now {Status} in cluster {ClusterId}")]
    public static partial void StatusWritten(ILogger logger, SiloAddress silo, SiloStatus status, string clusterId);

    [LoggerMessage(3102, LogLevel.Information, "Membership view {Version}: {Active} active silos ({Silos})")]
    public static partial void ViewChanged(ILogger logger, long version, int active, string silos);

    [LoggerMessage(3103, LogLevel.Warning, "Silo {Target} missed {Missed} probes in a row; recording a suspicion")]
    public static partial void Suspecting(ILogger logger, SiloAddress target, int missed);

    [LoggerMessage(3104, LogLevel.Warning, "Declared silo {Target} dead with {Suspicions} fresh suspicions")]
    public static partial void DeclaredDead(ILogger logger, SiloAddress target, int suspicions);

    [LoggerMessage(3105, LogLevel.Critical, "This silo {Silo} was declared dead by the cluster; it stops serving and shuts down")]
    public static partial void SelfDeclaredDead(ILogger logger, SiloAddress silo);

    [LoggerMessage(3106, LogLevel.Warning, "The membership table could not be read or written; retrying")]
    public static partial void TableFailed(ILogger logger, Exception exception);

    [LoggerMessage(3107, LogLevel.Debug, "Probe of {Target} missed ({Missed} in a row): {Reason}")]
    public static partial void ProbeMissed(ILogger logger, SiloAddress target, int missed, string reason);

    [LoggerMessage(3108, LogLevel.Debug, "Silo {Peer} did not confirm a membership notice ({Reason}); it will catch up on its next table refresh")]
    public static partial void NoticeNotDelivered(ILogger logger, SiloAddress peer, string reason);

    [LoggerMessage(3109, LogLevel.Warning, "Joining: silo {Target} is listed as live but {Reason}; suspecting it now rather than routing calls to it")]
    public static partial void Superseding(ILogger logger, SiloAddress target, string reason);
}
