using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Persistence.Sqlite;

/// <summary>The grain storage's schema and its migrations, applied in order at start-up, each in its own transaction.</summary>
internal static class SqliteSchema
{
    /// <summary>Written into the file header by the first migration ("Lnge"), so that a foreign SQLite file is recognised as such.</summary>
    public const int ApplicationId = 0x4C6E6765;

    // Append only: a step, once released, is never edited, because databases already migrated past it would not see the edit.
    private static readonly string[] Migrations =
    [
        // 1. The state table. WITHOUT ROWID: the primary key is the only way in, so the table itself is the index.
        //    payload NULL marks a tombstone: a cleared record keeps its version so that the version is never handed out again.
        """
        CREATE TABLE grain_state (
            grain_type TEXT NOT NULL,
            grain_key TEXT NOT NULL,
            state_name TEXT NOT NULL,
            version INTEGER NOT NULL,
            payload BLOB,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key, state_name)
        ) WITHOUT ROWID;
        """,

        // 2. Cluster membership (SqliteMembershipTable): one version row per cluster, the compare-and-swap target, and one row per
        //    silo identity. Times are unix milliseconds; suspicions a JSON array of {"silo": "host:port@generation", "at": ms}.
        """
        CREATE TABLE membership_version (
            cluster_id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE membership_silo (
            cluster_id TEXT NOT NULL,
            host TEXT NOT NULL,
            port INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            status INTEGER NOT NULL,
            host_name TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            i_am_alive_at INTEGER NOT NULL,
            suspicions TEXT NOT NULL,
            PRIMARY KEY (cluster_id, host, port, generation)
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>The schema version this build creates and understands.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Refuses a file that holds something other than Lineage's grain storage.</summary>
    public static void EnsureLineageDatabase(SqliteConnection connection, string path)
    {
        var applicationId = ScalarInt64(connection, "PRAGMA application_id");
        if (applicationId == ApplicationId)
        {
            return;
        }

        var objects = ScalarInt64(connection, "SELECT count(*) FROM sqlite_master");
        if (applicationId != 0 || objects != 0)
        {
            throw new InvalidOperationException(
                $"'{path}' is a SQLite database but not a Lineage grain storage database (application id {applicationId}, {objects} schema objects). " +
                "Point the storage's DataDirectory/FileName at a Lineage database or at a new file.");
        }
    }

    /// <summary>Brings the schema up to <see cref="LatestVersion"/> and returns it; refuses a schema newer than this build knows.</summary>
    public static int Migrate(SqliteConnection connection, string path, TimeProvider timeProvider, ILogger logger, string storageName) =>
        MigrateSteps(
            connection,
            "schema_version",
            Migrations,
            timeProvider,
            current => new InvalidOperationException(
                $"The grain storage database '{path}' has schema version {current}, but this build of Lineage knows versions up to {LatestVersion}. " +
                "It was written by a newer Lineage: run that version, or point the storage at another file."),
            target => logger.SqliteMigrated(storageName, path, target));

    /// <summary>Applies the <paramref name="migrations"/> after the highest version recorded in <paramref name="versionTable"/>, each step
    /// in its own transaction together with its version row, and returns the version reached. <paramref name="tooNew"/> makes the
    /// error for a file written by a newer build; <paramref name="migrated"/> hears of each step applied.</summary>
    /// <remarks>Several processes may open one file at once: the version is read again under the write lock, so a step another
    /// process applied meanwhile is not applied twice.</remarks>
    internal static int MigrateSteps(
        SqliteConnection connection, string versionTable, IReadOnlyList<string> migrations, TimeProvider timeProvider, Func<int, Exception> tooNew, Action<int>? migrated)
    {
        while (true)
        {
            var current = ReadVersion(connection, versionTable);
            if (current > migrations.Count)
            {
                throw tooNew(current);
            }

            if (current == migrations.Count)
            {
                return current;
            }

            var target = current + 1;
            var applied = false;
            Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                if (ReadVersion(connection, versionTable) == current)
                {
                    Execute(connection, $"CREATE TABLE IF NOT EXISTS {versionTable} (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");
                    Execute(connection, migrations[target - 1]);
                    Execute(connection, string.Create(CultureInfo.InvariantCulture,
                        $"INSERT INTO {versionTable} (version, applied_at) VALUES ({target}, {timeProvider.GetUtcNow().ToUnixTimeMilliseconds()})"));

                    // Marks a new file as Lineage's, whichever store created it, so that the others recognise it.
                    Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}"));
                    applied = true;
                }

                Execute(connection, "COMMIT");
            }
            catch
            {
                if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
                {
                    Execute(connection, "ROLLBACK");
                }

                throw;
            }

            if (applied)
            {
                migrated?.Invoke(target);
            }
        }
    }

    /// <summary>The highest applied migration; 0 for a new file.</summary>
    public static int ReadVersion(SqliteConnection connection) => ReadVersion(connection, "schema_version");

    /// <summary>The highest version recorded in <paramref name="versionTable"/>; 0 when the table does not exist yet.</summary>
    internal static int ReadVersion(SqliteConnection connection, string versionTable)
    {
        var hasTable = ScalarInt64(connection, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{versionTable}'") > 0;
        return hasTable ? (int)ScalarInt64(connection, $"SELECT coalesce(max(version), 0) FROM {versionTable}") : 0;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long ScalarInt64(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static string? ScalarString(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
