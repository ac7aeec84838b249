using Lineage.Tests.Infrastructure;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.GroupCommit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Lineage.Tests.Persistence;

public sealed class GroupCommitQueueTests
{
    private static readonly byte[] Payload = [1, 2, 3];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GrainId Grain(int i) => GrainId.Create("test", i);

    private static GroupCommitQueue CreateQueue(FakeExecutor executor, int maxBatchSize = 1024, TimeSpan commitDelay = default, TimeProvider? time = null) =>
        new("test", executor, maxBatchSize, commitDelay, time ?? TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Each_operation_of_a_batch_gets_its_own_outcome_and_a_conflict_does_not_fail_its_neighbours()
    {
        var executor = new FakeExecutor();
        await using var queue = CreateQueue(executor);
        var hold = executor.HoldNextBatch();
        var plug = queue.WriteAsync(Grain(0), "s", 0, Payload, Ct).AsTask();
        await hold.Entered;

        var first = queue.WriteAsync(Grain(1), "s", 0, Payload, Ct).AsTask();
        var conflicting = queue.WriteAsync(Grain(2), "s", 5, Payload, Ct).AsTask();
        var third = queue.WriteAsync(Grain(3), "s", 0, Payload, Ct).AsTask();
        hold.Release();

        Assert.Equal(1, await plug);
        Assert.Equal(1, await first);
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        Assert.Equal(5, refused.ExpectedVersion);
        Assert.Equal(0, refused.StoredVersion);
        Assert.Equal(Grain(2), refused.GrainId);
        Assert.Equal(1, await third);

        Assert.Equal([1, 3], executor.BatchSizes);
        Assert.True(executor.Contains(Grain(1), "s"));
        Assert.False(executor.Contains(Grain(2), "s"));
        Assert.True(executor.Contains(Grain(3), "s"));
        Assert.Equal(2, queue.CommittedBatches);
        Assert.Equal(4, queue.CommittedOperations);
        Assert.Equal(1, queue.RefusedOperations);
    }

    [Fact]
    public async Task Operations_on_one_record_within_a_batch_see_each_other()
    {
        var executor = new FakeExecutor();
        await using var queue = CreateQueue(executor);
        var hold = executor.HoldNextBatch();
        var plug = queue.WriteAsync(Grain(0), "s", 0, Payload, Ct).AsTask();
        await hold.Entered;

        var insert = queue.WriteAsync(Grain(1), "s", 0, Payload, Ct).AsTask();
        var update = queue.WriteAsync(Grain(1), "s", 1, Payload, Ct).AsTask();
        var staleInsert = queue.WriteAsync(Grain(1), "s", 0, Payload, Ct).AsTask();
        hold.Release();

        await plug;
        Assert.Equal(1, await insert);
        Assert.Equal(2, await update);
        Assert.Equal(2, (await Assert.ThrowsAsync<InconsistentStateException>(() => staleInsert)).StoredVersion);
    }

    [Fact]
    public async Task A_failed_transaction_fails_every_operation_in_it_and_commits_none_of_them()
    {
        var failure = new IOException("disk on fire");
        var executor = new FakeExecutor { FailWhen = batch => batch.Any(o => o.StateName == "poison") ? failure : null };
        await using var queue = CreateQueue(executor);
        var hold = executor.HoldNextBatch();
        var plug = queue.WriteAsync(Grain(0), "s", 0, Payload, Ct).AsTask();
        await hold.Entered;

        var operations = new[]
        {
            queue.WriteAsync(Grain(1), "s", 0, Payload, Ct).AsTask(),
            queue.WriteAsync(Grain(2), "poison", 0, Payload, Ct).AsTask(),
            queue.ClearAsync(Grain(3), "s", 0, Ct).AsTask(),
        };
        hold.Release();

        Assert.Equal(1, await plug);
        foreach (var operation in operations)
        {
            Assert.Same(failure, await Assert.ThrowsAsync<IOException>(() => operation));
        }

        Assert.False(executor.Contains(Grain(1), "s"));
        Assert.False(executor.Contains(Grain(3), "s"));
        Assert.Equal(1, queue.FailedBatches);
        Assert.Equal(1, queue.CommittedBatches);

        // The queue keeps working, and the failed insert really left nothing behind.
        Assert.Equal(1, await queue.WriteAsync(Grain(1), "s", 0, Payload, Ct));
    }

    [Fact]
    public async Task Dispose_commits_everything_already_queued_and_refuses_later_operations()
    {
        var executor = new FakeExecutor();
        var queue = CreateQueue(executor);
        var hold = executor.HoldNextBatch();
        var plug = queue.WriteAsync(Grain(0), "s", 0, Payload, Ct).AsTask();
        await hold.Entered;

        var queued = Enumerable.Range(1, 100).Select(i => queue.WriteAsync(Grain(i), "s", 0, Payload, Ct).AsTask()).ToArray();
        var disposing = queue.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        hold.Release();
        await disposing;

        await plug;
        Assert.All(await Task.WhenAll(queued), version => Assert.Equal(1, version));
        Assert.All(Enumerable.Range(0, 101), i => Assert.True(executor.Contains(Grain(i), "s")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.WriteAsync(Grain(200), "s", 0, Payload, Ct).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.ClearAsync(Grain(200), "s", 0, Ct).AsTask());
        Assert.False(executor.Contains(Grain(200), "s"));
    }

    [Fact]
    public async Task A_transaction_holds_at_most_the_maximum_batch_size()
    {
        var executor = new FakeExecutor();
        await using var queue = CreateQueue(executor, maxBatchSize: 3);
        var hold = executor.HoldNextBatch();
        var plug = queue.WriteAsync(Grain(0), "s", 0, Payload, Ct).AsTask();
        await hold.Entered;

        var queued = Enumerable.Range(1, 7).Select(i => queue.WriteAsync(Grain(i), "s", 0, Payload, Ct).AsTask()).ToArray();
        hold.Release();
        await plug;
        await Task.WhenAll(queued);

        Assert.Equal([1, 3, 3, 1], executor.BatchSizes);
    }

    [Fact]
    public async Task Cancelling_a_queued_operation_withdraws_it()
    {
        var executor = new FakeExecutor();
        await using var queue = CreateQueue(executor);
        var hold = executor.HoldNextBatch();
        var plug = queue.WriteAsync(Grain(0), "s", 0, Payload, Ct).AsTask();
        await hold.Entered;

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelled = queue.WriteAsync(Grain(1), "s", 0, Payload, cancellation.Token).AsTask();
        var neighbour = queue.WriteAsync(Grain(2), "s", 0, Payload, Ct).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        hold.Release();

        await plug;
        Assert.Equal(1, await neighbour);
        Assert.False(executor.Contains(Grain(1), "s"));
        Assert.Equal(1, await queue.WriteAsync(Grain(1), "s", 0, Payload, Ct));
    }

    [Fact]
    public async Task Cancelling_an_operation_already_in_a_transaction_still_delivers_its_outcome()
    {
        var executor = new FakeExecutor();
        await using var queue = CreateQueue(executor);
        var hold = executor.HoldNextBatch();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var write = queue.WriteAsync(Grain(1), "s", 0, Payload, cancellation.Token).AsTask();
        await hold.Entered;

        await cancellation.CancelAsync();
        hold.Release();

        Assert.Equal(1, await write);
        Assert.True(executor.Contains(Grain(1), "s"));
    }

    [Fact]
    public async Task An_already_cancelled_token_queues_nothing()
    {
        var executor = new FakeExecutor();
        await using var queue = CreateQueue(executor);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.WriteAsync(Grain(1), "s", 0, Payload, new CancellationToken(true)).AsTask());
        await queue.DisposeAsync();
        Assert.Empty(executor.BatchSizes);
    }

    [Fact]
    public async Task The_commit_delay_lingers_so_that_later_operations_join_the_batch()
    {
        var executor = new FakeExecutor();
        var time = new ManualTimeProvider();
        await using var queue = CreateQueue(executor, commitDelay: TimeSpan.FromSeconds(1), time: time);
        var lingering = time.TimerCreated;
        var first = queue.WriteAsync(Grain(1), "s", 0, Payload, Ct).AsTask();
        await lingering.WaitAsync(Ct);

        var second = queue.WriteAsync(Grain(2), "s", 0, Payload, Ct).AsTask();
        var third = queue.WriteAsync(Grain(3), "s", 0, Payload, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        await Task.WhenAll(first, second, third);
        Assert.Equal([3], executor.BatchSizes);
    }

    [Fact]
    public async Task Dispose_does_not_wait_out_the_commit_delay()
    {
        var executor = new FakeExecutor();
        var time = new ManualTimeProvider();
        var queue = CreateQueue(executor, commitDelay: TimeSpan.FromSeconds(1), time: time);
        var lingering = time.TimerCreated;
        var write = queue.WriteAsync(Grain(1), "s", 0, Payload, Ct).AsTask();
        await lingering.WaitAsync(Ct);

        // The timer never fires: only cutting the linger short lets this complete.
        await queue.DisposeAsync().AsTask().WaitAsync(Ct);
        Assert.Equal(1, await write);
    }

    [Fact]
    public async Task An_executor_that_records_no_outcome_fails_the_caller_instead_of_hanging()
    {
        var executor = new FakeExecutor { SkipOutcomes = true };
        await using var queue = CreateQueue(executor);
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.WriteAsync(Grain(1), "s", 0, Payload, Ct).AsTask());
    }

    [Fact]
    public async Task Pooled_operations_never_mix_up_outcomes()
    {
        var executor = new FakeExecutor();
        await using var queue = CreateQueue(executor, maxBatchSize: 16);
        var writers = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            long version = 0;
            for (var n = 0; n < 200; n++)
            {
                var next = await queue.WriteAsync(Grain(i), "s", version, Payload, Ct);
                Assert.Equal(version + 1, next);
                version = next;
            }

            return version;
        }, Ct));

        Assert.All(await Task.WhenAll(writers), version => Assert.Equal(200, version));
        Assert.Equal(64 * 200, queue.CommittedOperations);
        Assert.Equal(0, queue.RefusedOperations);
    }

    /// <summary>An in-memory store with real transaction semantics: a batch's changes are staged and published only if it succeeds.</summary>
    private sealed class FakeExecutor : IStateBatchExecutor
    {
        private readonly Lock _lock = new();
        private readonly List<int> _batchSizes = [];
        private Dictionary<(GrainId, string), long> _committed = [];
        private Hold? _hold;

        public Func<IReadOnlyList<StateOperation>, Exception?>? FailWhen { get; init; }

        public bool SkipOutcomes { get; init; }

        public int[] BatchSizes
        {
            get
            {
                lock (_lock)
                {
                    return [.. _batchSizes];
                }
            }
        }

        public bool Contains(GrainId grainId, string stateName)
        {
            lock (_lock)
            {
                return _committed.ContainsKey((grainId, stateName));
            }
        }

        /// <summary>Makes the next batch wait, once it has started, until the test releases it.</summary>
        public Hold HoldNextBatch()
        {
            var hold = new Hold();
            lock (_lock)
            {
                _hold = hold;
            }

            return hold;
        }

        public async ValueTask ExecuteBatchAsync(IReadOnlyList<StateOperation> batch)
        {
            Hold? hold;
            lock (_lock)
            {
                _batchSizes.Add(batch.Count);
                hold = _hold;
                _hold = null;
            }

            if (hold is not null)
            {
                hold.SignalEntered();
                await hold.Released;
            }

            Dictionary<(GrainId, string), long> staged;
            lock (_lock)
            {
                staged = new(_committed);
            }

            foreach (var operation in batch)
            {
                var key = (operation.GrainId, operation.StateName);
                var stored = staged.GetValueOrDefault(key);
                if (SkipOutcomes)
                {
                    continue;
                }

                if (stored != operation.ExpectedVersion)
                {
                    operation.SetRefused(stored);
                    continue;
                }

                staged[key] = stored + 1;
                operation.SetApplied(stored + 1);
            }

            if (FailWhen?.Invoke(batch) is { } failure)
            {
                throw failure;
            }

            lock (_lock)
            {
                _committed = staged;
            }
        }
    }

    private sealed class Hold
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task.WaitAsync(TestContext.Current.CancellationToken);

        public Task Released => _released.Task;

        public void SignalEntered() => _entered.TrySetResult();

        public void Release() => _released.TrySetResult();
    }
}
