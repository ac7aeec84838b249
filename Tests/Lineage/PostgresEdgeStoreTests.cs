using Lineage.Runtime.Persistence.Edges;
using Lineage.Runtime.Persistence.Postgres;
using Lineage.Tests.Persistence.Postgres;
using Npgsql;

namespace Lineage.Tests.Domain;

/// <summary>The edge store contract on PostgreSQL, and what only the PostgreSQL store does (its schema beside the grain storage's).</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresEdgeStoreTests(PostgresServer server) : EdgeStoreContractTests<PostgresEdgeStore>
{
    private string _connectionString = string.Empty;

    public override async ValueTask InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    [Fact]
    public async Task Silos_starting_together_create_the_edge_table_once_beside_the_grain_storages_schema()
    {
        await using (new PostgresGrainStorage("Default", Options()))
        {
        }

        var opening = Enumerable.Range(0, 6).Select(_ => Task.Run(Open, Ct)).ToArray();
        foreach (var store in await Task.WhenAll(opening))
        {
            await store.DisposeAsync();
        }

        Assert.Equal((long)PostgresEdgeSchema.LatestVersion, await ScalarAsync("SELECT count(*) FROM lineage_edge_schema_version"));
        Assert.Equal((long)PostgresSchema.LatestVersion, await ScalarAsync("SELECT count(*) FROM lineage_schema_version"));
        Assert.Equal("C", await StringAsync("SELECT collation_name FROM information_schema.columns WHERE table_name = 'lineage_grain_edge' AND column_name = 'edge_key'"));
    }

    [Fact]
    public async Task An_edge_schema_newer_than_this_build_is_refused_with_a_message_naming_the_database()
    {
        await using (Open())
        {
        }

        await ExecuteAsync($"INSERT INTO lineage_edge_schema_version VALUES ({PostgresEdgeSchema.LatestVersion + 1}, now())");

        var error = Assert.Throws<InvalidOperationException>(Open);
        Assert.Contains(PostgresSchema.Describe(_connectionString), error.Message, StringComparison.Ordinal);
        Assert.Contains($"edge schema version {PostgresEdgeSchema.LatestVersion + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_database_is_refused_naming_the_store_and_the_database()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 2 }.ConnectionString;

        var error = Assert.Throws<InvalidOperationException>(() => new PostgresEdgeStore("edges", new PostgresGrainStorageOptions { ConnectionString = unreachable }));

        Assert.Contains("edge store 'edges'", error.Message, StringComparison.Ordinal);
        Assert.Contains(PostgresSchema.Describe(unreachable), error.Message, StringComparison.Ordinal);
    }

    protected override PostgresEdgeStore Open() => new("test", Options());

    protected override async Task<IAsyncDisposable> HoldWritesAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var command = new NpgsqlCommand("LOCK TABLE lineage_grain_edge IN EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(Ct);
        }

        return new Hold(connection, transaction);
    }

    protected override long CommittedBatches(PostgresEdgeStore store) => store.CommittedBatches;

    private PostgresGrainStorageOptions Options() => new() { ConnectionString = _connectionString };

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string?> StringAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct) as string;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Holds a lock that blocks every insert into the edge table until disposed.</summary>
    private sealed class Hold(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
