using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Persistence.Edges;

internal static partial class EdgeStoreLog
{
    [LoggerMessage(121, LogLevel.Information, "Edge store '{Name}' opened SQLite database {Path} (edge schema version {SchemaVersion})")]
    public static partial void EdgeStoreOpened(this ILogger logger, string name, string path, int schemaVersion);

    [LoggerMessage(122, LogLevel.Information, "Edge store '{Name}' closed {Path} after {Batches} transactions of {Appends} appends")]
    public static partial void EdgeStoreClosed(this ILogger logger, string name, string path, long batches, long appends);

    [LoggerMessage(123, LogLevel.Information, "Edge store '{Name}' opened PostgreSQL database {Database} (edge schema version {SchemaVersion})")]
    public static partial void PostgresEdgeStoreOpened(this ILogger logger, string name, string database, int schemaVersion);

    [LoggerMessage(124, LogLevel.Information, "Edge store '{Name}' migrated PostgreSQL database {Database} to edge schema version {SchemaVersion}")]
    public static partial void PostgresEdgeSchemaMigrated(this ILogger logger, string name, string database, int schemaVersion);

    [LoggerMessage(125, LogLevel.Information, "Edge store '{Name}' closed PostgreSQL database {Database} after {Batches} transactions of {Appends} appends")]
    public static partial void PostgresEdgeStoreClosed(this ILogger logger, string name, string database, long batches, long appends);

    [LoggerMessage(126, LogLevel.Warning, "Edge store '{Name}': the writer connection to {Database} failed and is replaced for the next batch")]
    public static partial void PostgresEdgeWriterReplaced(this ILogger logger, Exception exception, string name, string database);
}
