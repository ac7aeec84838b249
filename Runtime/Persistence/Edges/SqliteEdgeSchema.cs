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
    public static int Migrate(SqliteConnection connection, string path, TimeProvider timeProvider) =>
        SqliteSchema.MigrateSteps(
            connection,
            "edge_schema_version",
            Migrations,
            timeProvider,
            current => new InvalidOperationException(
                $"The edge store in '{path}' has schema version {current}, but this build of Lineage knows versions up to {LatestVersion}. " +
                "It was written by a newer Lineage: run that version, or point the storage at another file."),
            migrated: null);
}
