using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Persistence.Edges;

internal static partial class EdgeStoreLog
{
    [LoggerMessage(121, LogLevel.Information, "Edge store '{Name}' opened SQLite database {Path} (edge schema version {SchemaVersion})")]
    public static partial void EdgeStoreOpened(this ILogger logger, string name, string path, int schemaVersion);

    [LoggerMessage(122, LogLevel.Information, "Edge store '{Name}' closed {Path} after {Batches} transactions of {Appends} appends")]
    public static partial void EdgeStoreClosed(this ILogger logger, string name, string path, long batches, long appends);
}
