using System.Globalization;
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
    public static Task<int> MigrateAsync(
        NpgsqlDataSource dataSource, string owner, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var database = Describe(dataSource.ConnectionString);
        return MigrateStepsAsync(
            dataSource,
            MigrationLockKey,
            "lineage_schema_version",
            Migrations,
            timeProvider,
            current => new InvalidOperationException(
                $"The PostgreSQL database '{database}' used by the {owner} has Lineage schema version {current}, but this build of Lineage " +
                $"knows versions up to {LatestVersion}. It was written by a newer Lineage: run that version, or point the connection string at another database."),
            target => logger.PostgresMigrated(owner, database, target),
            cancellationToken);
    }

    /// <summary>Applies the <paramref name="migrations"/> after the highest version recorded in <paramref name="versionTable"/>, each step
    /// in its own transaction together with its version row, under the advisory lock <paramref name="lockKey"/> so that processes
    /// starting together never race; returns the version reached. <paramref name="tooNew"/> makes the error for a database written by a
    /// newer build; <paramref name="migrated"/> hears of each step applied.</summary>
    internal static async Task<int> MigrateStepsAsync(
        NpgsqlDataSource dataSource,
        long lockKey,
        string versionTable,
        IReadOnlyList<string> migrations,
        TimeProvider timeProvider,
        Func<int, Exception> tooNew,
        Action<int> migrated,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(" + lockKey.ToString(CultureInfo.InvariantCulture) + ")", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection,
                $"CREATE TABLE IF NOT EXISTS {versionTable} (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)",
                cancellationToken).ConfigureAwait(false);
            int current;
            await using (var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {versionTable}", connection))
            {
                current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            if (current > migrations.Count)
            {
                throw tooNew(current);
            }

            if (current == migrations.Count)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return current;
            }

            var target = current + 1;
            await ExecuteAsync(connection, migrations[target - 1], cancellationToken).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand($"INSERT INTO {versionTable} (version, applied_at) VALUES ($1, $2)", connection))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = target });
                record.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = timeProvider.GetUtcNow().UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            migrated(target);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
