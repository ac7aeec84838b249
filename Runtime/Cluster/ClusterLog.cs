using Lineage.Runtime.Cluster.Membership;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster;

/// <summary>Log messages of a silo's cluster life.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(3201, LogLevel.Warning, "Silo {Silo} could not record its departure in the membership table; peers will detect it by probes")]
    public static partial void LeaveFailed(ILogger logger, SiloAddress silo, Exception exception);

    [LoggerMessage(3202, LogLevel.Information, "Membership changed: deactivating {Count} grains now owned by other silos")]
    public static partial void HandingOff(ILogger logger, int count);

    [LoggerMessage(3203, LogLevel.Warning, "A peer announced a membership change but re-reading the membership table failed; the periodic refresh will catch up")]
    public static partial void RefreshOnNoticeFailed(ILogger logger, Exception exception);
}
