using Lineage.Runtime.Persistence.Edges;
using Lineage.Runtime.Persistence.Sqlite;
using Lineage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Domain;

/// <summary>The edge store contract on SQLite, and what only the SQLite store does (sharing the grain storage's file and its schema).</summary>
public sealed class SqliteEdgeStoreTests : EdgeStoreContractTests<SqliteEdgeStore>
{
    private readonly TempDirectory _directory = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_edges_share_the_grain_storages_file_and_both_survive_reopening()
    {
        var options = Options();
        await using (var storage = new SqliteGrainStorage("Default", options))
        await using (var store = new SqliteEdgeStore("Default", options))
        {
            await storage.WriteAsync(Owner, "post", 0, "{}"u8.ToArray(), Ct);
            await store.AppendAsync(Owner, "r", [Row("a", "")], Ct);
            Assert.Equal(storage.DatabasePath, store.DatabasePath);
        }

        await using var reopened = new SqliteEdgeStore("Default", options);
        await using var reopenedStorage = new SqliteGrainStorage("Default", options);
        Assert.Equal(1, await reopened.CountAsync(Owner, "r", Ct));
        Assert.Equal(1, (await reopenedStorage.ReadAsync(Owner, "post", Ct)).Version);
    }

    [Fact]
    public async Task A_database_made_by_the_grain_storage_alone_gains_the_edge_table_and_keeps_every_grain_schema_step()
    {
        var options = Options();
        await using (var storage = new SqliteGrainStorage("Default", options))
        {
            await storage.WriteAsync(Owner, "post", 0, "{}"u8.ToArray(), Ct);
        }

        await using (var store = new SqliteEdgeStore("Default", options))
        {
            await store.AppendAsync(Owner, "r", [Row("a", "")], Ct);
        }

        using var connection = OpenRaw(options);
        Assert.Equal((long)SqliteSchema.LatestVersion, Scalar(connection, "SELECT max(version) FROM schema_version"));
        Assert.Equal((long)SqliteSchema.LatestVersion, Scalar(connection, "SELECT count(*) FROM schema_version"));
        Assert.Equal((long)SqliteEdgeSchema.LatestVersion, Scalar(connection, "SELECT max(version) FROM edge_schema_version"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM grain_state"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM grain_edge"));
    }

    [Fact]
    public async Task A_database_whose_grain_schema_stopped_at_step_one_is_brought_up_to_date_by_the_grain_storage_with_its_edges_kept()
    {
        // What an edge store created beside an older grain storage leaves: grain schema step 1 only, and the edge table.
        var options = Options();
        await using (var store = new SqliteEdgeStore("Default", options))
        {
            await store.AppendAsync(Owner, "r", [Row("a", "")], Ct);
        }

        using (var connection = OpenRaw(options))
        {
            Execute(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");
            Execute(connection, "CREATE TABLE grain_state (grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, state_name TEXT NOT NULL, version INTEGER NOT NULL, payload BLOB, updated_at INTEGER NOT NULL, PRIMARY KEY (grain_type, grain_key, state_name)) WITHOUT ROWID");
            Execute(connection, "INSERT INTO schema_version VALUES (1, 0)");
        }

        await using (var storage = new SqliteGrainStorage("Default", options))
        await using (var store = new SqliteEdgeStore("Default", options))
        {
            await storage.WriteAsync(Owner, "post", 0, "{}"u8.ToArray(), Ct);
            Assert.Equal(["a"], (await store.ReadAsync(Owner, "r", null, 10, Ct)).Rows.Select(r => r.Key));
        }

        using var upgraded = OpenRaw(options);
        Assert.Equal((long)SqliteSchema.LatestVersion, Scalar(upgraded, "SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_lineage_database_is_refused_with_its_path()
    {
        var path = _directory.File("other.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(Ct);
            Execute(connection, "CREATE TABLE t (x)");
        }

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteEdgeStore("test", Options(o => o.FileName = "other.db")));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    protected override SqliteEdgeStore Open() => new("test", Options());

    protected override Task<IAsyncDisposable> HoldWritesAsync()
    {
        var connection = OpenRaw(Options());
        Execute(connection, "BEGIN IMMEDIATE");
        return Task.FromResult<IAsyncDisposable>(new Hold(connection));
    }

    protected override long CommittedBatches(SqliteEdgeStore store) => store.CommittedBatches;

    private SqliteGrainStorageOptions Options(Action<SqliteGrainStorageOptions>? configure = null)
    {
        var options = new SqliteGrainStorageOptions { DataDirectory = _directory.Path };
        configure?.Invoke(options);
        return options;
    }

    private static SqliteConnection OpenRaw(SqliteGrainStorageOptions options)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(options.DataDirectory, options.FileName)};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Holds the database's write lock until disposed.</summary>
    private sealed class Hold(SqliteConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Execute(connection, "ROLLBACK");
            connection.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
