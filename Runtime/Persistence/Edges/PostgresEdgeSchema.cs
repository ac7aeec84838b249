using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Lineage.Runtime.Persistence.Edges;

/// <summary>The edge store's PostgreSQL table and its migrations, tracked apart from the grain-state schema (in
/// <c>lineage_edge_schema_version</c>) so the two evolve independently in one database, as they do in SQLite.</summary>
/// <remarks>Every process that opens the store migrates under one advisory lock, so silos starting together never race to create
/// the table; each step commits in its own transaction together with its version row.</remarks>
internal static class PostgresEdgeSchema
{
    // Session-independent key of the advisory lock that serialises edge migrations ("LnEd"); the grain schema has its own.
    private const long MigrationLockKey = 0x4C6E4564;

    // Append only: a step, once released, is never edited, because databases already migrated past it would not see the edit.
    private static readonly string[] Migrations =
    [
        // 1. The edge table. The primary key is the only way in: an append is one index insert, a page one index range scan, and a
        //    duplicate key is refused by the key itself (ON CONFLICT DO NOTHING), which is what makes appends idempotent.
        //    edge_key is collated "C" so that pages come in the order of the keys' UTF-8 bytes, the order the contract promises and
        //    the order SQLite gives, whatever the database's default collation.
        """
        CREATE TABLE lineage_grain_edge (
            grain_type text NOT NULL,
            grain_key text NOT NULL,
            relation text NOT NULL,
            edge_key text COLLATE "C" NOT NULL,
            payload bytea NOT NULL,
            appended_at timestamptz NOT NULL,
            PRIMARY KEY (grain_type, grain_key, relation, edge_key)
        );
        """,
    ];

    /// <summary>The edge schema version this build creates and understands.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the edge schema up to <see cref="LatestVersion"/> and returns it; refuses a newer one.</summary>
    public static Task<int> MigrateAsync(NpgsqlDataSource dataSource, string storeName, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var database = PostgresSchema.Describe(dataSource.ConnectionString);
        return PostgresSchema.MigrateStepsAsync(
            dataSource,
            MigrationLockKey,
            "lineage_edge_schema_version",
            Migrations,
            timeProvider,
            current => new InvalidOperationException(
                $"The edge store '{storeName}' in PostgreSQL database '{database}' has edge schema version {current}, but this build of Lineage " +
                $"knows versions up to {LatestVersion}. It was written by a newer Lineage: run that version, or point the connection string at another database."),
            target => logger.PostgresEdgeSchemaMigrated(storeName, database, target),
            cancellationToken);
    }
}
