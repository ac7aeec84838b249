using Lineage.Runtime;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Cluster.Membership.Sqlite;
using Lineage.Runtime.Persistence.Sqlite;
using Lineage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Cluster.MembershipTable;

/// <summary>The membership contract on a SQLite file, and sharing that file with the grain storage and with other processes.</summary>
public sealed class SqliteMembershipTableTests : MembershipTableContractTests
{
    private readonly TempDirectory _directory = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task By_default_the_table_lives_in_the_grain_storage_file_and_both_work_on_it()
    {
        var storageOptions = new SqliteGrainStorageOptions { DataDirectory = _directory.Path };
        var tableOptions = new SqliteMembershipTableOptions { DataDirectory = _directory.Path };
        Assert.Equal(storageOptions.FileName, tableOptions.FileName);

        await using var storage = new SqliteGrainStorage("Default", storageOptions);
        var table = new SqliteMembershipTable("cluster", tableOptions);
        await table.InitializeAsync(Ct);

        Assert.Equal(storage.DatabasePath, table.DatabasePath);
        Assert.True(await table.TryWriteAsync(Entry("a", SiloStatus.Active), 0, Ct));
        Assert.Equal(1, await storage.WriteAsync(GrainId.Create("account", 1), "s", 0, "x"u8.ToArray(), Ct));
        Assert.Equal(1, (await table.ReadAllAsync(Ct)).Version);
    }

    [Fact]
    public async Task A_change_waits_for_another_process_holding_the_file_and_then_applies()
    {
        var table = await TableAsync("locked");
        Task<bool> write;
        using (var other = OpenRaw())
        {
            Execute(other, "BEGIN IMMEDIATE");
            write = table.TryWriteAsync(Entry("a", SiloStatus.Joining), 0, Ct);
            Execute(other, "COMMIT");
        }

        Assert.True(await write);
        Assert.Equal(1, (await table.ReadAllAsync(Ct)).Version);
    }

    [Fact]
    public async Task A_row_with_an_unknown_status_is_reported_naming_the_silo()
    {
        var table = await TableAsync("corrupt");
        var entry = Entry("a", SiloStatus.Active);
        Assert.True(await table.TryWriteAsync(entry, 0, Ct));
        using (var connection = OpenRaw())
        {
            Execute(connection, "UPDATE membership_silo SET status = 42");
        }

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => table.ReadAllAsync(Ct));

        Assert.Contains(entry.Silo.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Contains("42", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_SQLite_file_is_refused_naming_it()
    {
        using (var connection = OpenRaw())
        {
            Execute(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        }

        var table = CreateTable("foreign");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => table.InitializeAsync(Ct));

        Assert.Contains(_directory.File("lineage.db"), refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a Lineage", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_setting()
    {
        Assert.Equal("FileName", Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteMembershipTable("c", new SqliteMembershipTableOptions { FileName = "a/b.db" })).ParamName);
        Assert.Equal("BusyTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteMembershipTable("c", new SqliteMembershipTableOptions { BusyTimeout = TimeSpan.FromSeconds(-1) })).ParamName);
    }

    protected override IMembershipTable CreateTable(string clusterId) =>
        new SqliteMembershipTable(clusterId, new SqliteMembershipTableOptions { DataDirectory = _directory.Path });

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _directory.File("lineage.db"), Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
