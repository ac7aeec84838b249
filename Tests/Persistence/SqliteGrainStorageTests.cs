using Lineage.Tests.Infrastructure;
using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Lineage.Tests.Persistence;

/// <summary>The storage contract on SQLite, and what only the SQLite provider does (its file, WAL, synchronous modes).</summary>
public sealed class SqliteGrainStorageTests : GrainStorageContractTests<SqliteGrainStorage>
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("lineage.db");

    public override ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return base.DisposeAsync();
    }

    [Fact]
    public async Task Opening_creates_the_data_directory_and_a_WAL_database_with_the_schema_applied_once()
    {
        var nested = Path.Combine(_directory.Path, "a", "b");
        await using (var storage = Open(o => o.DataDirectory = nested))
        {
            Assert.Equal(Path.Combine(nested, "lineage.db"), storage.DatabasePath);
        }

        await using (Open(o => o.DataDirectory = nested))
        {
        }

        using var connection = OpenRaw(Path.Combine(nested, "lineage.db"));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        // One row per migration step: reopening must not apply any step a second time.
        Assert.Equal((long)SqliteSchema.LatestVersion, Scalar(connection, "SELECT count(*) FROM schema_version"));
        Assert.Equal((long)SqliteSchema.LatestVersion, Scalar(connection, "SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public async Task Opening_logs_where_the_database_lives_and_each_migration_applied()
    {
        var log = new ListLogger();
        await using (new SqliteGrainStorage("Default", new SqliteGrainStorageOptions { DataDirectory = _directory.Path }, log))
        {
        }

        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains(DatabasePath, StringComparison.Ordinal) && e.Message.Contains("opened", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("schema version 1", StringComparison.Ordinal) && e.Message.Contains("migrated", StringComparison.Ordinal));

        var reopenLog = new ListLogger();
        await using (new SqliteGrainStorage("Default", new SqliteGrainStorageOptions { DataDirectory = _directory.Path }, reopenLog))
        {
        }

        Assert.DoesNotContain(reopenLog.Entries, e => e.Message.Contains("migrated", StringComparison.Ordinal));
        Assert.Contains(reopenLog.Entries, e => e.Message.Contains("opened", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused_with_a_message_naming_the_file()
    {
        await using (Open())
        {
        }

        using (var connection = OpenRaw())
        {
            Execute(connection, "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)");
        }

        var refused = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains(DatabasePath, refused.Message, StringComparison.Ordinal);
        Assert.Contains("99", refused.Message, StringComparison.Ordinal);
        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_SQLite_database_is_refused_with_a_message_naming_the_file()
    {
        using (var connection = OpenRaw())
        {
            Execute(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        }

        var refused = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains(DatabasePath, refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a Lineage", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_a_message_naming_the_file()
    {
        File.WriteAllBytes(DatabasePath, Enumerable.Repeat((byte)'x', 8192).ToArray());

        var refused = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains(DatabasePath, refused.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(refused.InnerException);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(o => o.MaxBatchSize = 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(o => o.CommitDelay = TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(o => o.FileName = "a/b.db"));
    }

    [Fact]
    public async Task Synchronous_normal_commits_the_same_way()
    {
        await using var storage = new SqliteGrainStorage("Default", new SqliteGrainStorageOptions { DataDirectory = _directory.Path, Synchronous = SqliteSynchronousMode.Normal });
        var writes = Enumerable.Range(0, 20).Select(i => storage.WriteAsync(GrainId.Create("account", i), "balance", 0, Bytes("x"), Ct).AsTask()).ToArray();
        Assert.All(await Task.WhenAll(writes), version => Assert.Equal(1, version));
        Assert.Equal("x", Text(await storage.ReadAsync(GrainId.Create("account", 7), "balance", Ct)));
    }

    protected override SqliteGrainStorage Open(int maxBatchSize = 1024, TimeSpan commitDelay = default, TimeProvider? time = null) =>
        new("Default", new SqliteGrainStorageOptions { DataDirectory = _directory.Path, MaxBatchSize = maxBatchSize, CommitDelay = commitDelay }, logger: null, time);

    protected override long CommittedBatches(SqliteGrainStorage storage) => storage.CommittedBatches;

    protected override long CommittedOperations(SqliteGrainStorage storage) => storage.CommittedOperations;

    protected override Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var blocker = OpenRaw();
        Execute(blocker, "BEGIN IMMEDIATE");
        return Task.FromResult<IAsyncDisposable>(new WriteLock(blocker));
    }

    protected override Task FailInsertsOfKeyAsync(string key, string message)
    {
        using var connection = OpenRaw();
        Execute(connection, $"CREATE TRIGGER poison BEFORE INSERT ON grain_state WHEN NEW.grain_key = '{key}' BEGIN SELECT RAISE(ABORT, '{message}'); END");
        return Task.CompletedTask;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteGrainStorage Open(Action<SqliteGrainStorageOptions> configure)
    {
        var options = new SqliteGrainStorageOptions { DataDirectory = _directory.Path };
        configure(options);
        return new SqliteGrainStorage("Default", options);
    }

    private SqliteConnection OpenRaw(string? path = null)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path ?? DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private sealed class WriteLock(SqliteConnection blocker) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Execute(blocker, "COMMIT");
            blocker.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
