using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Postgres;
using Lineage.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Lineage.Tests.Persistence.Postgres;

/// <summary>The storage contract on PostgreSQL, and what only the PostgreSQL provider does (its schema, its connection).</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresGrainStorageTests(PostgresServer server) : GrainStorageContractTests<PostgresGrainStorage>
{
    private string _connectionString = string.Empty;

    public override async ValueTask InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    [Fact]
    public async Task Opening_creates_the_schema_once_and_logs_each_migration()
    {
        var log = new ListLogger();
        await using (new PostgresGrainStorage("Default", new PostgresGrainStorageOptions { ConnectionString = _connectionString }, log))
        {
        }

        var database = PostgresSchema.Describe(_connectionString);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains(database, StringComparison.Ordinal) && e.Message.Contains("opened", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Message.Contains($"schema version {PostgresSchema.LatestVersion}", StringComparison.Ordinal) && e.Message.Contains("migrated", StringComparison.Ordinal));

        var reopenLog = new ListLogger();
        await using (new PostgresGrainStorage("Default", new PostgresGrainStorageOptions { ConnectionString = _connectionString }, reopenLog))
        {
        }

        Assert.DoesNotContain(reopenLog.Entries, e => e.Message.Contains("migrated", StringComparison.Ordinal));
        Assert.Equal((long)PostgresSchema.LatestVersion, await ScalarAsync("SELECT count(*) FROM lineage_schema_version"));
        Assert.Equal(PostgresSchema.LatestVersion, await ScalarAsync("SELECT max(version) FROM lineage_schema_version"));
    }

    [Fact]
    public async Task Silos_starting_together_migrate_the_schema_exactly_once()
    {
        var opening = Enumerable.Range(0, 6)
            .Select(_ => Task.Run(() => new PostgresGrainStorage("Default", new PostgresGrainStorageOptions { ConnectionString = _connectionString }), Ct))
            .ToArray();
        foreach (var storage in await Task.WhenAll(opening))
        {
            await storage.DisposeAsync();
        }

        Assert.Equal((long)PostgresSchema.LatestVersion, await ScalarAsync("SELECT count(*) FROM lineage_schema_version"));
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused_with_a_message_naming_the_database()
    {
        await using (Open())
        {
        }

        await ExecuteAsync("INSERT INTO lineage_schema_version (version, applied_at) VALUES (99, now())");

        var refused = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains(PostgresSchema.Describe(_connectionString), refused.Message, StringComparison.Ordinal);
        Assert.Contains("99", refused.Message, StringComparison.Ordinal);
        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_that_cannot_be_reached_is_refused_with_a_message_naming_it()
    {
        var missing = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "lineage_no_such_database" }.ConnectionString;

        var refused = Assert.Throws<InvalidOperationException>(() => new PostgresGrainStorage("Default", new PostgresGrainStorageOptions { ConnectionString = missing }));

        Assert.Contains("lineage_no_such_database", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'Default'", refused.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<NpgsqlException>(refused.InnerException);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_setting()
    {
        Assert.Equal("ConnectionString", Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresGrainStorage("Default", new PostgresGrainStorageOptions())).ParamName);
        Assert.Equal("ConnectionString", Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresGrainStorage("Default", new PostgresGrainStorageOptions { ConnectionString = "Host=x;Nonsense Key=1" })).ParamName);
        Assert.Equal("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Open(maxBatchSize: 0)).ParamName);
        Assert.Equal("CommitDelay", Assert.Throws<ArgumentOutOfRangeException>(() => Open(commitDelay: TimeSpan.FromSeconds(2))).ParamName);
    }

    [Fact]
    public async Task The_writer_recovers_when_the_server_drops_its_connection()
    {
        await using var storage = Open();
        var version = await storage.WriteAsync(Grain, "balance", 0, Bytes("v1"), Ct);

        // As a server restart or a network failure would: every connection of this database is cut.
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

        // The write that meets the dead connection may fail (its outcome unknown to the caller); the one after it must not.
        try
        {
            version = await storage.WriteAsync(Grain, "balance", version, Bytes("v2"), Ct);
        }
        catch (NpgsqlException)
        {
            version = (await storage.ReadAsync(Grain, "balance", Ct)).Version;
        }

        version = await storage.WriteAsync(Grain, "balance", version, Bytes("v3"), Ct);
        var record = await storage.ReadAsync(Grain, "balance", Ct);
        Assert.Equal(version, record.Version);
        Assert.Equal("v3", Text(record));
    }

    protected override PostgresGrainStorage Open(int maxBatchSize = 1024, TimeSpan commitDelay = default, TimeProvider? time = null) =>
        new("Default", new PostgresGrainStorageOptions { ConnectionString = _connectionString, MaxBatchSize = maxBatchSize, CommitDelay = commitDelay }, logger: null, time);

    protected override long CommittedBatches(PostgresGrainStorage storage) => storage.CommittedBatches;

    protected override long CommittedOperations(PostgresGrainStorage storage) => storage.CommittedOperations;

    protected override async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var command = new NpgsqlCommand("LOCK TABLE lineage_grain_state IN EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(Ct);
        }

        return new WriteLock(connection, transaction);
    }

    protected override Task FailInsertsOfKeyAsync(string key, string message) => ExecuteAsync($"""
        CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{message}'; END $$;
        CREATE TRIGGER poison BEFORE INSERT ON lineage_grain_state FOR EACH ROW WHEN (NEW.grain_key = '{key}') EXECUTE FUNCTION poison();
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    private sealed class WriteLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
