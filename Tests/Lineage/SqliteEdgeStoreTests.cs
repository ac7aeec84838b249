using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;
using Lineage.Runtime.Persistence.Sqlite;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Domain;

public sealed class EdgeStoreTests
{
    private static readonly GrainId Owner = new("post", "twitter/1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Append_is_idempotent_on_the_edge_key_and_keeps_the_first_payload()
    {
        using var directory = new TempDirectory();
        await using var store = new SqliteEdgeStore("test", new SqliteGrainStorageOptions { DataDirectory = directory.Path });

        Assert.Equal(2, await store.AppendAsync(Owner, "children", [Row("b", "first"), Row("a", "x")], Ct));
        Assert.Equal(1, await store.AppendAsync(Owner, "children", [Row("b", "second"), Row("c", "y"), Row("c", "z")], Ct));

        var page = await store.ReadAsync(Owner, "children", null, 10, Ct);
        Assert.Equal(["a", "b", "c"], page.Rows.Select(r => r.Key));
        Assert.Equal("first", Encoding.UTF8.GetString(page.Rows[1].Payload.Span));
        Assert.Equal("y", Encoding.UTF8.GetString(page.Rows[2].Payload.Span));
        Assert.Null(page.NextCursor);
        Assert.Equal(3, await store.CountAsync(Owner, "children", Ct));
    }

    [Fact]
    public async Task Pages_follow_key_order_not_arrival_order_and_cursors_continue_exactly()
    {
        using var directory = new TempDirectory();
        await using var store = new SqliteEdgeStore("test", new SqliteGrainStorageOptions { DataDirectory = directory.Path });
        var keys = Enumerable.Range(0, 250).Select(i => $"k{i:D4}").ToArray();
        foreach (var key in keys.Reverse())
        {
            await store.AppendAsync(Owner, "r", [Row(key, "")], Ct);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.ReadAsync(Owner, "r", cursor, 100, Ct);
            seen.AddRange(page.Rows.Select(r => r.Key));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(keys, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Relations_are_separate_per_grain_and_name()
    {
        using var directory = new TempDirectory();
        await using var store = new SqliteEdgeStore("test", new SqliteGrainStorageOptions { DataDirectory = directory.Path });
        await store.AppendAsync(Owner, "children", [Row("a", "")], Ct);
        await store.AppendAsync(Owner, "claims", [Row("a", "")], Ct);
        await store.AppendAsync(new GrainId("account", "twitter/1"), "children", [Row("z", "")], Ct);

        Assert.Equal(1, await store.CountAsync(Owner, "children", Ct));
        Assert.Equal(["z"], (await store.ReadAsync(new GrainId("account", "twitter/1"), "children", null, 10, Ct)).Rows.Select(r => r.Key));
        Assert.Equal(0, await store.CountAsync(new GrainId("post", "twitter/2"), "children", Ct));
    }

    [Fact]
    public async Task Acknowledged_appends_survive_reopening_and_share_the_file_with_grain_state()
    {
        using var directory = new TempDirectory();
        var options = new SqliteGrainStorageOptions { DataDirectory = directory.Path };
        await using (var storage = new SqliteGrainStorage("Default", options))
        await using (var store = new SqliteEdgeStore("Default", options))
        {
            await storage.WriteAsync(Owner, "post", 0, "{}"u8.ToArray(), Ct);
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => store.AppendAsync(Owner, "r", [Row($"{i:D3}", i.ToString())], Ct).AsTask()));
            Assert.Equal(options.DataDirectory, Path.GetDirectoryName(store.DatabasePath));
            Assert.Equal(storage.DatabasePath, store.DatabasePath);
        }

        await using var reopened = new SqliteEdgeStore("Default", options);
        await using var reopenedStorage = new SqliteGrainStorage("Default", options);
        Assert.Equal(500, await reopened.CountAsync(Owner, "r", Ct));
        Assert.Equal(1, (await reopenedStorage.ReadAsync(Owner, "post", Ct)).Version);
    }

    [Fact]
    public async Task A_file_that_is_not_a_lineage_database_is_refused_with_its_path()
    {
        using var directory = new TempDirectory();
        var path = directory.File("other.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x)";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var error = Assert.Throws<InvalidOperationException>(() =>
            new SqliteEdgeStore("test", new SqliteGrainStorageOptions { DataDirectory = directory.Path, FileName = "other.db" }));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static EdgeRow Row(string key, string payload) => new(key, Encoding.UTF8.GetBytes(payload));
}
