using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Persistence.GroupCommit;

/// <summary>Group commit for grain state: queues writes and clears from many callers and commits them in shared transactions.</summary>
/// <remarks>
/// <para>One loop takes everything queued (up to the maximum batch size), has the <see cref="IStateBatchExecutor"/> run it as ONE
/// transaction, then completes each caller with its own outcome. While a transaction commits, the next batch accumulates, so under
/// load the cost of a commit (its fsync) is shared by many writes, and a lone write is never held back waiting for company.</para>
/// <para>The commit delay optionally lingers before taking a batch, to widen batches when writers are few and syncing is slow; it
/// adds that much latency to every write, so it defaults to none.</para>
/// <para>Cancellation is honoured only while an operation waits in the queue: once it is in a transaction its caller gets the real
/// outcome, because a caller that gave up on a write which then happened would go on with the wrong version.</para>
/// <para>Provider-agnostic: SQL lives in the executor.</para>
/// </remarks>
internal sealed class GroupCommitQueue : IAsyncDisposable
{
    // Enough for every caller of a full batch plus the next one forming; beyond it operations are left to the GC.
    private const int MaxPooled = 4096;

    private readonly Channel<StateOperation> _channel =
        Channel.CreateUnbounded<StateOperation>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly ConcurrentQueue<StateOperation> _pool = new();
    private readonly CancellationTokenSource _stopLingering = new();
    private readonly string _name;
    private readonly IStateBatchExecutor _executor;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _commitDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private int _pooled;
    private long _committedBatches;
    private long _committedOperations;
    private long _refusedOperations;
    private long _failedBatches;

    /// <summary>Starts the commit loop.</summary>
    /// <param name="name">The storage's name, for messages and logs.</param>
    /// <param name="executor">Runs each batch as one transaction.</param>
    /// <param name="maxBatchSize">Most operations in one transaction; 1 gives one transaction per operation.</param>
    /// <param name="commitDelay">How long to linger for more operations before taking a batch; zero for none.</param>
    /// <param name="timeProvider">Clock for the linger.</param>
    /// <param name="logger">Where failed transactions are reported.</param>
    public GroupCommitQueue(string name, IStateBatchExecutor executor, int maxBatchSize, TimeSpan commitDelay, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(commitDelay, TimeSpan.Zero);
        _name = name;
        _executor = executor;
        _maxBatchSize = maxBatchSize;
        _commitDelay = commitDelay;
        _timeProvider = timeProvider;
        _logger = logger;

        // The loop outlives whoever constructed the queue; it must not carry their AsyncLocals around forever.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Transactions committed.</summary>
    public long CommittedBatches => Volatile.Read(ref _committedBatches);

    /// <summary>Operations whose transaction committed, whether applied or refused for a version conflict.</summary>
    public long CommittedOperations => Volatile.Read(ref _committedOperations);

    /// <summary>Operations refused for a version conflict (included in <see cref="CommittedOperations"/>).</summary>
    public long RefusedOperations => Volatile.Read(ref _refusedOperations);

    /// <summary>Transactions that failed, failing every operation in them.</summary>
    public long FailedBatches => Volatile.Read(ref _failedBatches);

    /// <summary>Queues a write; completes with the new version once its transaction has committed.</summary>
    public ValueTask<long> WriteAsync(GrainId grainId, string stateName, long expectedVersion, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        Enqueue(grainId, stateName, expectedVersion, payload, isClear: false, cancellationToken);

    /// <summary>Queues a clear; completes with the tombstone's version once its transaction has committed.</summary>
    public ValueTask<long> ClearAsync(GrainId grainId, string stateName, long expectedVersion, CancellationToken cancellationToken) =>
        Enqueue(grainId, stateName, expectedVersion, ReadOnlyMemory<byte>.Empty, isClear: true, cancellationToken);

    /// <summary>Stops taking operations and returns once everything already queued has been committed (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_channel.Writer.TryComplete())
        {
            await _stopLingering.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
    }

    internal void Return(StateOperation operation)
    {
        if (Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            _pool.Enqueue(operation);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }

    private ValueTask<long> Enqueue(GrainId grainId, string stateName, long expectedVersion, ReadOnlyMemory<byte> payload, bool isClear, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        var operation = Rent();
        operation.Initialize(this, grainId, stateName, expectedVersion, payload, isClear);
        operation.RegisterCancellation(cancellationToken);
        var pending = operation.AsValueTask();
        if (!_channel.Writer.TryWrite(operation))
        {
            if (operation.TryWithdraw())
            {
                Return(operation);
            }

            return ValueTask.FromException<long>(new ObjectDisposedException(
                GetType().FullName, $"Grain storage '{_name}' is shut down; state '{stateName}' of grain {grainId} was not written."));
        }

        return pending;
    }

    private StateOperation Rent()
    {
        if (_pool.TryDequeue(out var operation))
        {
            Interlocked.Decrement(ref _pooled);
            return operation;
        }

        return new StateOperation();
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<StateOperation>(Math.Min(_maxBatchSize, 1024));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_commitDelay > TimeSpan.Zero && !_stopLingering.IsCancellationRequested && !(reader.CanCount && reader.Count >= _maxBatchSize))
            {
                // Cancelled at shutdown so that draining is not held up by the linger.
                await Task.Delay(_commitDelay, _timeProvider, _stopLingering.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
            {
                if (operation.TryTake())
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // The loop must survive anything: if it died, every later write would wait forever.
                _logger.CompletionFailed(exception, _name);
            }

            batch.Clear();
        }
    }

    private async ValueTask CommitAsync(List<StateOperation> batch)
    {
        try
        {
            await _executor.ExecuteBatchAsync(batch).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref _failedBatches);
            _logger.BatchFailed(exception, _name, batch.Count);
            foreach (var operation in batch)
            {
                operation.Fail(exception);
            }

            return;
        }

        // Counted before any caller is released (an operation may be reused as soon as it completes), so that a caller who has
        // its acknowledgement also sees the counters that include it.
        var refused = 0;
        foreach (var operation in batch)
        {
            if (operation.WasRefused)
            {
                refused++;
            }
        }

        Interlocked.Add(ref _committedOperations, batch.Count);
        Interlocked.Add(ref _refusedOperations, refused);
        Interlocked.Increment(ref _committedBatches);
        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }
}
