using System.Globalization;
using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

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
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string storeName, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var database = PostgresSchema.Describe(dataSource.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(" + MigrationLockKey.ToString(CultureInfo.InvariantCulture) + ")", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS lineage_edge_schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)",
                cancellationToken).ConfigureAwait(false);
            int current;
            await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM lineage_edge_schema_version", connection))
            {
                current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The edge store '{storeName}' in PostgreSQL database '{database}' has edge schema version {current}, but this build of Lineage " +
                    $"knows versions up to {LatestVersion}. It was written by a newer Lineage: run that version, or point the connection string at another database.");
            }

            if (current == LatestVersion)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return current;
            }

            var target = current + 1;
            await ExecuteAsync(connection, Migrations[target - 1], cancellationToken).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand("INSERT INTO lineage_edge_schema_version (version, applied_at) VALUES ($1, $2)", connection))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = target });
                record.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = timeProvider.GetUtcNow().UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.PostgresEdgeSchemaMigrated(storeName, database, target);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
