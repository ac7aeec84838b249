using Npgsql;
using NpgsqlTypes;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Persistence.Postgres;

/// <summary>Lineage's PostgreSQL schema (grain state and cluster membership) and its migrations, applied in order at start-up.</summary>
/// <remarks>Every process that opens the database migrates it under one advisory lock, so silos starting together never race to
/// create the same table; each step commits in its own transaction together with its row in <c>lineage_schema_version</c>.</remarks>
internal static class PostgresSchema
{
    // Session-independent key of the advisory lock that serialises migrations ("Lnge", as the SQLite application id).
    private const long MigrationLockKey = 0x4C6E6765;

    // Append only: a step, once released, is never edited, because databases already migrated past it would not see the edit.
    private static readonly string[] Migrations =
    [
        // 1. Grain state. payload NULL marks a tombstone: a cleared record keeps its version so that the version is never handed
        //    out again. Names carry a lineage_ prefix because a PostgreSQL database is often shared with other applications.
        """
        CREATE TABLE lineage_grain_state (
            grain_type text NOT NULL,
            grain_key text NOT NULL,
            state_name text NOT NULL,
            version bigint NOT NULL,
            payload bytea,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (grain_type, grain_key, state_name)
        );
        """,

        // 2. Cluster membership: one version row per cluster (the compare-and-swap target) and one row per silo identity.
        //    suspicions is a JSON array of {"silo": "host:port@generation", "at": unix milliseconds}.
        """
        CREATE TABLE lineage_membership_version (
            cluster_id text NOT NULL PRIMARY KEY,
            version bigint NOT NULL
        );
        CREATE TABLE lineage_membership (
            cluster_id text NOT NULL,
            host text NOT NULL,
            port integer NOT NULL,
            generation bigint NOT NULL,
            status smallint NOT NULL,
            host_name text NOT NULL,
            started_at timestamptz NOT NULL,
            i_am_alive_at timestamptz NOT NULL,
            suspicions jsonb NOT NULL,
            PRIMARY KEY (cluster_id, host, port, generation)
        );
        """,
    ];

    /// <summary>The schema version this build creates and understands.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Names the database for messages and logs, as host:port/database; never includes credentials.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    /// <summary>Brings the schema up to <see cref="LatestVersion"/> and returns it; refuses a schema newer than this build knows.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="owner">Who migrates ("grain storage 'Default'", "membership table"), for messages and logs.</param>
    /// <param name="timeProvider">Clock for the time each step was applied.</param>
    /// <param name="logger">Where applied steps are reported.</param>
    /// <param name="cancellationToken">Abandons the migration (the step in progress rolls back).</param>
    public static async Task<int> MigrateAsync(
        NpgsqlDataSource dataSource, string owner, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var database = Describe(dataSource.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(" + MigrationLockKey + ")", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS lineage_schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)",
                cancellationToken).ConfigureAwait(false);
            var current = await ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL database '{database}' used by the {owner} has Lineage schema version {current}, but this build of Lineage " +
                    $"knows versions up to {LatestVersion}. It was written by a newer Lineage: run that version, or point the connection string at another database.");
            }

            if (current == LatestVersion)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return current;
            }

            var target = current + 1;
            await ExecuteAsync(connection, Migrations[target - 1], cancellationToken).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand("INSERT INTO lineage_schema_version (version, applied_at) VALUES ($1, $2)", connection))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = target });
                record.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = timeProvider.GetUtcNow().UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.PostgresMigrated(owner, database, target);
        }
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM lineage_schema_version", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
