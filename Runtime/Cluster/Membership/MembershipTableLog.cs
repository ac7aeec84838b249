using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster.Membership;

internal static partial class MembershipTableLog
{
    [LoggerMessage(3151, LogLevel.Information, "Membership table of cluster '{ClusterId}' ready in {Database} (schema version {SchemaVersion})")]
    public static partial void MembershipTableReady(this ILogger logger, string clusterId, string database, int schemaVersion);

    [LoggerMessage(3152, LogLevel.Debug, "Membership write of silo {Silo} in cluster '{ClusterId}' lost the race: the table version is no longer {ExpectedVersion}")]
    public static partial void MembershipWriteConflict(this ILogger logger, string silo, string clusterId, long expectedVersion);

    [LoggerMessage(3153, LogLevel.Information, "Membership table of cluster '{ClusterId}' removed {Count} dead silos last alive before {OlderThan:o}")]
    public static partial void MembershipDeadRemoved(this ILogger logger, string clusterId, int count, DateTimeOffset olderThan);
}
