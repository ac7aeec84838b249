using Lineage.Tests.Infrastructure;
using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Lineage.Tests.Persistence;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private static readonly GrainId Grain = GrainId.Create("account", 42);

    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _directory.File("lineage.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_written_payload_reads_back_with_its_version()
    {
        await using var storage = Open();
        var version = await storage.WriteAsync(Grain, "balance", 0, Bytes("hello"), Ct);

        var record = await storage.ReadAsync(Grain, "balance", Ct);
        Assert.Equal(1, version);
        Assert.Equal(1, record.Version);
        Assert.True(record.Exists);
        Assert.Equal("hello", Text(record));
    }

    [Fact]
    public async Task A_record_never_written_reads_as_missing()
    {
        await using var storage = Open();
        Assert.Equal(GrainStateRecord.Missing.Version, (await storage.ReadAsync(Grain, "balance", Ct)).Version);
        Assert.False((await storage.ReadAsync(Grain, "balance", Ct)).Exists);
    }

    [Fact]
    public async Task Each_write_increments_the_version()
    {
        await using var storage = Open();
        long version = 0;
        for (var i = 1; i <= 5; i++)
        {
            version = await storage.WriteAsync(Grain, "balance", version, Bytes($"v{i}"), Ct);
            Assert.Equal(i, version);
        }

        var record = await storage.ReadAsync(Grain, "balance", Ct);
        Assert.Equal(5, record.Version);
        Assert.Equal("v5", Text(record));
    }

    [Fact]
    public async Task A_stale_write_is_refused_and_changes_nothing()
    {
        await using var storage = Open();
        await storage.WriteAsync(Grain, "balance", 0, Bytes("first"), Ct);
        await storage.WriteAsync(Grain, "balance", 1, Bytes("second"), Ct);

        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Grain, "balance", 1, Bytes("stale"), Ct).AsTask());

        Assert.Equal(1, refused.ExpectedVersion);
        Assert.Equal(2, refused.StoredVersion);
        Assert.Equal("balance", refused.StateName);
        Assert.Equal(Grain, refused.GrainId);
        var record = await storage.ReadAsync(Grain, "balance", Ct);
        Assert.Equal(2, record.Version);
        Assert.Equal("second", Text(record));
    }

    [Fact]
    public async Task An_insert_over_an_existing_record_is_refused()
    {
        await using var storage = Open();
        await storage.WriteAsync(Grain, "balance", 0, Bytes("mine"), Ct);

        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Grain, "balance", 0, Bytes("theirs"), Ct).AsTask());

        Assert.Equal(0, refused.ExpectedVersion);
        Assert.Equal(1, refused.StoredVersion);
        Assert.Equal("mine", Text(await storage.ReadAsync(Grain, "balance", Ct)));
    }

    [Fact]
    public async Task A_write_to_a_record_that_does_not_exist_is_refused()
    {
        await using var storage = Open();
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Grain, "balance", 3, Bytes("x"), Ct).AsTask());
        Assert.Equal(0, refused.StoredVersion);
        Assert.False((await storage.ReadAsync(Grain, "balance", Ct)).Exists);
    }

    [Fact]
    public async Task Clearing_keeps_a_tombstone_so_that_no_version_is_handed_out_twice()
    {
        await using var storage = Open();
        await storage.WriteAsync(Grain, "balance", 0, Bytes("v1"), Ct);

        var tombstone = await storage.ClearAsync(Grain, "balance", 1, Ct);

        Assert.Equal(2, tombstone);
        var cleared = await storage.ReadAsync(Grain, "balance", Ct);
        Assert.Equal(2, cleared.Version);
        Assert.False(cleared.Exists);
        Assert.True(cleared.Payload.IsEmpty);

        // Neither the version read before the clear nor "nothing stored" may write over the tombstone (no ABA).
        Assert.Equal(2, (await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Grain, "balance", 1, Bytes("old"), Ct).AsTask())).StoredVersion);
        Assert.Equal(2, (await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Grain, "balance", 0, Bytes("fresh"), Ct).AsTask())).StoredVersion);

        Assert.Equal(3, await storage.WriteAsync(Grain, "balance", 2, Bytes("v3"), Ct));
        Assert.Equal("v3", Text(await storage.ReadAsync(Grain, "balance", Ct)));
    }

    [Fact]
    public async Task A_stale_clear_is_refused_and_changes_nothing()
    {
        await using var storage = Open();
        await storage.WriteAsync(Grain, "balance", 0, Bytes("v1"), Ct);
        await storage.WriteAsync(Grain, "balance", 1, Bytes("v2"), Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(Grain, "balance", 1, Ct).AsTask());

        var record = await storage.ReadAsync(Grain, "balance", Ct);
        Assert.True(record.Exists);
        Assert.Equal("v2", Text(record));
    }

    [Fact]
    public async Task Clearing_a_record_never_written_still_moves_its_version_on()
    {
        await using var storage = Open();
        Assert.Equal(1, await storage.ClearAsync(Grain, "balance", 0, Ct));
        Assert.Equal(2, await storage.WriteAsync(Grain, "balance", 1, Bytes("v2"), Ct));
    }

    [Fact]
    public async Task An_empty_payload_is_a_stored_value_not_a_tombstone()
    {
        await using var storage = Open();
        await storage.WriteAsync(Grain, "balance", 0, ReadOnlyMemory<byte>.Empty, Ct);

        var record = await storage.ReadAsync(Grain, "balance", Ct);
        Assert.True(record.Exists);
        Assert.Equal(1, record.Version);
        Assert.True(record.Payload.IsEmpty);
    }

    [Fact]
    public async Task A_payload_slice_stores_only_the_slice()
    {
        await using var storage = Open();
        var buffer = Bytes("xxhelloxx");
        await storage.WriteAsync(Grain, "balance", 0, buffer.AsMemory(2, 5), Ct);
        Assert.Equal("hello", Text(await storage.ReadAsync(Grain, "balance", Ct)));
    }

    [Fact]
    public async Task Grain_type_key_and_state_name_each_tell_records_apart()
    {
        await using var storage = Open();
        await storage.WriteAsync(new GrainId("a", "1"), "s", 0, Bytes("a/1/s"), Ct);
        await storage.WriteAsync(new GrainId("b", "1"), "s", 0, Bytes("b/1/s"), Ct);
        await storage.WriteAsync(new GrainId("a", "2"), "s", 0, Bytes("a/2/s"), Ct);
        await storage.WriteAsync(new GrainId("a", "1"), "t", 0, Bytes("a/1/t"), Ct);

        Assert.Equal("a/1/s", Text(await storage.ReadAsync(new GrainId("a", "1"), "s", Ct)));
        Assert.Equal("b/1/s", Text(await storage.ReadAsync(new GrainId("b", "1"), "s", Ct)));
        Assert.Equal("a/2/s", Text(await storage.ReadAsync(new GrainId("a", "2"), "s", Ct)));
        Assert.Equal("a/1/t", Text(await storage.ReadAsync(new GrainId("a", "1"), "t", Ct)));
    }

    [Fact]
    public async Task Concurrent_writes_that_were_acknowledged_are_all_present_after_a_restart()
    {
        const int Records = 1000;
        await using (var storage = Open())
        {
            var writes = Enumerable.Range(0, Records)
                .Select(i => Task.Run(async () => await storage.WriteAsync(GrainId.Create("account", i), "balance", 0, Bytes($"payload {i}"), Ct), Ct))
                .ToArray();
            Assert.All(await Task.WhenAll(writes), version => Assert.Equal(1, version));
            Assert.Equal(Records, storage.CommittedOperations);
        }

        await using var reopened = Open();
        for (var i = 0; i < Records; i++)
        {
            var record = await reopened.ReadAsync(GrainId.Create("account", i), "balance", Ct);
            Assert.Equal(1, record.Version);
            Assert.Equal($"payload {i}", Text(record));
        }
    }

    [Fact]
    public async Task Writes_that_queue_up_while_a_transaction_is_held_up_share_transactions()
    {
        await using var storage = Open();
        Task<long>[] writes;

        // Another connection holds the write lock, so the storage's first transaction waits; everything queued meanwhile must go
        // into the next one rather than into a transaction each.
        using (var blocker = OpenRaw())
        {
            Execute(blocker, "BEGIN IMMEDIATE");
            writes = Enumerable.Range(0, 1000).Select(i => storage.WriteAsync(GrainId.Create("account", i), "balance", 0, Bytes("x"), Ct).AsTask()).ToArray();
            Execute(blocker, "COMMIT");
        }

        await Task.WhenAll(writes);
        Assert.Equal(1000, storage.CommittedOperations);
        Assert.InRange(storage.CommittedBatches, 1, 2);
    }

    [Fact]
    public async Task A_conflicting_write_does_not_fail_the_writes_committed_with_it()
    {
        await using var storage = Open();
        await storage.WriteAsync(Grain, "balance", 0, Bytes("v1"), Ct);
        Task<long>[] good;
        Task<long> stale;
        using (var blocker = OpenRaw())
        {
            Execute(blocker, "BEGIN IMMEDIATE");
            good = Enumerable.Range(0, 50).Select(i => storage.WriteAsync(GrainId.Create("other", i), "s", 0, Bytes("ok"), Ct).AsTask()).ToArray();
            stale = storage.WriteAsync(Grain, "balance", 0, Bytes("stale"), Ct).AsTask();
            Execute(blocker, "COMMIT");
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        Assert.All(await Task.WhenAll(good), version => Assert.Equal(1, version));
        Assert.Equal("v1", Text(await storage.ReadAsync(Grain, "balance", Ct)));
    }

    [Fact]
    public async Task A_statement_failing_inside_a_transaction_fails_the_whole_batch_and_commits_none_of_it()
    {
        var time = new ManualTimeProvider();
        await using var storage = Open(o => o.CommitDelay = TimeSpan.FromSeconds(1), time);
        using (var connection = OpenRaw())
        {
            // Fails one statement of the storage's own transaction, as an I/O error would.
            Execute(connection, "CREATE TRIGGER poison BEFORE INSERT ON grain_state WHEN NEW.grain_key = 'poison' BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        }

        // The commit delay (on a clock only this test moves) holds the batch open until all three are queued.
        var lingering = time.TimerCreated;
        var before = storage.WriteAsync(new GrainId("t", "a"), "s", 0, Bytes("a"), Ct).AsTask();
        await lingering.WaitAsync(Ct);
        var poisoned = storage.WriteAsync(new GrainId("t", "poison"), "s", 0, Bytes("p"), Ct).AsTask();
        var after = storage.ClearAsync(new GrainId("t", "b"), "s", 0, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        var failure = await Assert.ThrowsAsync<SqliteException>(() => poisoned);
        Assert.Contains("injected failure", failure.Message, StringComparison.Ordinal);
        Assert.Same(failure, await Assert.ThrowsAsync<SqliteException>(() => before));
        Assert.Same(failure, await Assert.ThrowsAsync<SqliteException>(() => after));
        Assert.Equal(0, storage.CommittedBatches);
        Assert.Equal(0, (await storage.ReadAsync(new GrainId("t", "a"), "s", Ct)).Version);
        Assert.Equal(0, (await storage.ReadAsync(new GrainId("t", "b"), "s", Ct)).Version);

        // The writer connection was rolled back cleanly and goes on working.
        lingering = time.TimerCreated;
        var retry = storage.WriteAsync(new GrainId("t", "a"), "s", 0, Bytes("a"), Ct).AsTask();
        await lingering.WaitAsync(Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await retry);
    }

    [Fact]
    public async Task Dispose_commits_the_writes_still_queued()
    {
        var storage = Open();
        var writes = Enumerable.Range(0, 500).Select(i => storage.WriteAsync(GrainId.Create("account", i), "balance", 0, Bytes($"p{i}"), Ct).AsTask()).ToArray();
        await storage.DisposeAsync();

        Assert.All(await Task.WhenAll(writes), version => Assert.Equal(1, version));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync(Grain, "balance", 0, Bytes("late"), Ct).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ReadAsync(Grain, "balance", Ct).AsTask());

        await using var reopened = Open();
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal($"p{i}", Text(await reopened.ReadAsync(GrainId.Create("account", i), "balance", Ct)));
        }
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
    public async Task Synchronous_normal_and_one_transaction_per_write_work_the_same_way()
    {
        await using var storage = Open(o =>
        {
            o.Synchronous = SqliteSynchronousMode.Normal;
            o.MaxBatchSize = 1;
        });
        var writes = Enumerable.Range(0, 20).Select(i => storage.WriteAsync(GrainId.Create("account", i), "balance", 0, Bytes("x"), Ct).AsTask()).ToArray();
        await Task.WhenAll(writes);
        Assert.Equal(20, storage.CommittedBatches);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(GrainStateRecord record) => Encoding.UTF8.GetString(record.Payload.Span);

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

    private SqliteGrainStorage Open(Action<SqliteGrainStorageOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new SqliteGrainStorageOptions { DataDirectory = _directory.Path };
        configure?.Invoke(options);
        return new SqliteGrainStorage("Default", options, logger: null, time);
    }

    private SqliteConnection OpenRaw(string? path = null)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path ?? DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private sealed class ListLogger : ILogger
    {
        private readonly Lock _lock = new();
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public (LogLevel Level, string Message)[] Entries
        {
            get
            {
                lock (_lock)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lock)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
