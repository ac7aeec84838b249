using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Persistence;

internal static partial class StorageLog
{
    [LoggerMessage(101, LogLevel.Information, "Grain storage '{Name}' opened SQLite database {Path} (schema version {SchemaVersion}, synchronous={Synchronous})")]
    public static partial void SqliteOpened(this ILogger logger, string name, string path, int schemaVersion, string synchronous);

    [LoggerMessage(102, LogLevel.Information, "Grain storage '{Name}' migrated {Path} to schema version {SchemaVersion}")]
    public static partial void SqliteMigrated(this ILogger logger, string name, string path, int schemaVersion);

    [LoggerMessage(103, LogLevel.Warning, "Grain storage '{Name}': a transaction of {Count} state operations failed; none of them was committed and all were failed")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, string name, int count);

    [LoggerMessage(104, LogLevel.Information, "Grain storage '{Name}' closed {Path} after {Batches} transactions of {Operations} state operations")]
    public static partial void SqliteClosed(this ILogger logger, string name, string path, long batches, long operations);

    [LoggerMessage(105, LogLevel.Error, "Grain storage '{Name}': completing the callers of a batch threw; this is a bug")]
    public static partial void CompletionFailed(this ILogger logger, Exception exception, string name);
}
