using System.Globalization;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace Lineage.Runtime.Persistence.Edges;

/// <summary>The edge store's table and its migrations, tracked apart from the grain-state schema so the two evolve independently in
/// one database file.</summary>
internal static class SqliteEdgeSchema
{
    // Append only: a step, once released, is never edited, because databases already migrated past it would not see the edit.
    private static readonly string[] Migrations =
    [
        // 1. The edge table. WITHOUT ROWID on the full key: an append is one b-tree insert, a page is one range scan, and a
        //    duplicate key is refused by the primary key itself (ON CONFLICT DO NOTHING), which is what makes appends idempotent.
        """
        CREATE TABLE grain_edge (
            grain_type TEXT NOT NULL,
            grain_key TEXT NOT NULL,
            relation TEXT NOT NULL,
            edge_key TEXT NOT NULL,
            payload BLOB NOT NULL,
            appended_at INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key, relation, edge_key)
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>The edge schema version this build creates and understands.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the edge schema up to <see cref="LatestVersion"/>; refuses a newer one.</summary>
    public static int Migrate(SqliteConnection connection, string path, TimeProvider timeProvider)
    {
        SqliteSchema.EnsureLineageDatabase(connection, path);
        while (true)
        {
            var current = ReadVersion(connection);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The edge store in '{path}' has schema version {current}, but this build of Lineage knows versions up to {LatestVersion}. " +
                    "It was written by a newer Lineage: run that version, or point the storage at another file.");
            }

            if (current == LatestVersion)
            {
                return current;
            }

            SqliteSchema.Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                // Read again under the write lock: another process may have migrated while this one waited for it.
                if (ReadVersion(connection) == current)
                {
                    var target = current + 1;
                    SqliteSchema.Execute(connection, "CREATE TABLE IF NOT EXISTS edge_schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");
                    SqliteSchema.Execute(connection, Migrations[target - 1]);
                    SqliteSchema.Execute(connection, string.Create(CultureInfo.InvariantCulture,
                        $"INSERT INTO edge_schema_version (version, applied_at) VALUES ({target}, {timeProvider.GetUtcNow().ToUnixTimeMilliseconds()})"));

                    // Marks a new file as Lineage's, so that the grain storage opening it later recognises it.
                    SqliteSchema.Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {SqliteSchema.ApplicationId}"));
                }

                SqliteSchema.Execute(connection, "COMMIT");
            }
            catch
            {
                if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
                {
                    SqliteSchema.Execute(connection, "ROLLBACK");
                }

                throw;
            }
        }
    }

    private static int ReadVersion(SqliteConnection connection)
    {
        var hasTable = SqliteSchema.ScalarInt64(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'edge_schema_version'") > 0;
        return hasTable ? (int)SqliteSchema.ScalarInt64(connection, "SELECT coalesce(max(version), 0) FROM edge_schema_version") : 0;
    }
}
