using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Persistence.Postgres;

internal static partial class PostgresLog
{
    [LoggerMessage(201, LogLevel.Information, "Grain storage '{Name}' opened PostgreSQL database {Database} (schema version {SchemaVersion})")]
    public static partial void PostgresOpened(this ILogger logger, string name, string database, int schemaVersion);

    [LoggerMessage(202, LogLevel.Information, "The {Owner} migrated PostgreSQL database {Database} to schema version {SchemaVersion}")]
    public static partial void PostgresMigrated(this ILogger logger, string owner, string database, int schemaVersion);

    [LoggerMessage(203, LogLevel.Information, "Grain storage '{Name}' closed PostgreSQL database {Database} after {Batches} transactions of {Operations} state operations")]
    public static partial void PostgresClosed(this ILogger logger, string name, string database, long batches, long operations);

    [LoggerMessage(204, LogLevel.Warning, "Grain storage '{Name}': the writer connection to {Database} failed and is replaced for the next batch")]
    public static partial void PostgresWriterReplaced(this ILogger logger, Exception exception, string name, string database);
}
