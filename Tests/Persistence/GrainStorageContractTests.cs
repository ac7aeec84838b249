using System.Data.Common;
using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Persistence;

/// <summary>What every <see cref="IGrainStorage"/> provider promises (versions, tombstones, refusals, group commit, draining), run
/// against each provider by a subclass that knows how to open it and how to get in its way.</summary>
public abstract class GrainStorageContractTests<TStorage> : IAsyncLifetime
    where TStorage : IGrainStorage, IAsyncDisposable
{
    protected static readonly GrainId Grain = GrainId.Create("account", 42);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

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
            Assert.Equal(Records, CommittedOperations(storage));
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
    public async Task Concurrent_writers_of_one_record_through_two_storages_each_see_exactly_one_winner_per_version()
    {
        // Two storages on one database stand for two silos whose activations of the same grain overlap.
        await using var first = Open();
        await using var second = Open();
        const int Writers = 16;
        long version = 0;
        for (var round = 0; round < 5; round++)
        {
            var expected = version;
            var attempts = Enumerable.Range(0, Writers)
                .Select(i => Task.Run(async () => await (i % 2 == 0 ? first : second).WriteAsync(Grain, "balance", expected, Bytes($"round {round} writer {i}"), Ct), Ct))
                .ToArray();
            await Task.WhenAll(attempts.Select(a => a.ContinueWith(static _ => { }, TaskScheduler.Default)));

            var winners = attempts.Where(a => a.IsCompletedSuccessfully).ToArray();
            var winner = Assert.Single(winners);
            version = await winner;
            Assert.Equal(expected + 1, version);
            foreach (var loser in attempts.Where(a => !a.IsCompletedSuccessfully))
            {
                var refused = Assert.IsType<InconsistentStateException>(loser.Exception!.InnerException);
                Assert.Equal(version, refused.StoredVersion);
            }

            var winnerIndex = Array.IndexOf(attempts, winner);
            var record = await first.ReadAsync(Grain, "balance", Ct);
            Assert.Equal(version, record.Version);
            Assert.Equal($"round {round} writer {winnerIndex}", Text(record));
        }
    }

    [Fact]
    public async Task Writes_that_queue_up_while_a_transaction_is_held_up_share_transactions()
    {
        await using var storage = Open();
        Task<long>[] writes;

        // Another connection holds a lock the storage's writes need, so its first transaction waits; everything queued meanwhile
        // must go into the next one rather than into a transaction each.
        await using (await HoldWriteLockAsync())
        {
            writes = Enumerable.Range(0, 1000).Select(i => storage.WriteAsync(GrainId.Create("account", i), "balance", 0, Bytes("x"), Ct).AsTask()).ToArray();
        }

        await Task.WhenAll(writes);
        Assert.Equal(1000, CommittedOperations(storage));
        Assert.InRange(CommittedBatches(storage), 1, 2);
    }

    [Fact]
    public async Task A_conflicting_write_does_not_fail_the_writes_committed_with_it()
    {
        await using var storage = Open();
        await storage.WriteAsync(Grain, "balance", 0, Bytes("v1"), Ct);
        Task<long>[] good;
        Task<long> stale;
        await using (await HoldWriteLockAsync())
        {
            good = Enumerable.Range(0, 50).Select(i => storage.WriteAsync(GrainId.Create("other", i), "s", 0, Bytes("ok"), Ct).AsTask()).ToArray();
            stale = storage.WriteAsync(Grain, "balance", 0, Bytes("stale"), Ct).AsTask();
        }

        Assert.Equal(1, (await Assert.ThrowsAsync<InconsistentStateException>(() => stale)).StoredVersion);
        Assert.All(await Task.WhenAll(good), version => Assert.Equal(1, version));
        Assert.Equal("v1", Text(await storage.ReadAsync(Grain, "balance", Ct)));
    }

    [Fact]
    public async Task A_statement_failing_inside_a_transaction_fails_the_whole_batch_and_commits_none_of_it()
    {
        var time = new ManualTimeProvider();
        await using var storage = Open(commitDelay: TimeSpan.FromSeconds(1), time: time);

        // Fails one statement of the storage's own transaction, as an I/O error or a constraint would.
        await FailInsertsOfKeyAsync("poison", "injected failure");

        // The commit delay (on a clock only this test moves) holds the batch open until all three are queued.
        var lingering = time.TimerCreated;
        var before = storage.WriteAsync(new GrainId("t", "a"), "s", 0, Bytes("a"), Ct).AsTask();
        await lingering.WaitAsync(Ct);
        var poisoned = storage.WriteAsync(new GrainId("t", "poison"), "s", 0, Bytes("p"), Ct).AsTask();
        var after = storage.ClearAsync(new GrainId("t", "b"), "s", 0, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        var failure = await Assert.ThrowsAnyAsync<DbException>(() => poisoned);
        Assert.Contains("injected failure", failure.Message, StringComparison.Ordinal);
        Assert.Same(failure, await Assert.ThrowsAnyAsync<DbException>(() => before));
        Assert.Same(failure, await Assert.ThrowsAnyAsync<DbException>(() => after));
        Assert.Equal(0, CommittedBatches(storage));
        Assert.Equal(0, (await storage.ReadAsync(new GrainId("t", "a"), "s", Ct)).Version);
        Assert.Equal(0, (await storage.ReadAsync(new GrainId("t", "b"), "s", Ct)).Version);

        // The writer's connection was rolled back cleanly and goes on working.
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
    public async Task One_transaction_per_write_works_the_same_way()
    {
        await using var storage = Open(maxBatchSize: 1);
        var writes = Enumerable.Range(0, 20).Select(i => storage.WriteAsync(GrainId.Create("account", i), "balance", 0, Bytes("x"), Ct).AsTask()).ToArray();
        await Task.WhenAll(writes);
        Assert.Equal(20, CommittedBatches(storage));
        Assert.Equal("x", Text(await storage.ReadAsync(GrainId.Create("account", 19), "balance", Ct)));
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(GrainStateRecord record) => Encoding.UTF8.GetString(record.Payload.Span);

    /// <summary>Opens the provider on this test's database (the same one every time within a test).</summary>
    protected abstract TStorage Open(int maxBatchSize = 1024, TimeSpan commitDelay = default, TimeProvider? time = null);

    protected abstract long CommittedBatches(TStorage storage);

    protected abstract long CommittedOperations(TStorage storage);

    /// <summary>Takes, from another connection, a lock that makes the storage's next transaction wait until the result is disposed.</summary>
    protected abstract Task<IAsyncDisposable> HoldWriteLockAsync();

    /// <summary>Makes the database fail, with <paramref name="message"/>, any insert of a state record whose grain key is <paramref name="key"/>.</summary>
    protected abstract Task FailInsertsOfKeyAsync(string key, string message);
}
