using System.Threading.Tasks.Sources;

namespace Lineage.Runtime.Persistence.GroupCommit;

/// <summary>One queued write or clear of a grain state record, and the awaitable its caller waits on.</summary>
/// <remarks>Pooled by its <see cref="GroupCommitQueue"/>: an operation costs no allocation in the steady state. The object returns
/// to the pool when its caller collects the result, so nothing may touch it after it has been completed. An operation whose caller
/// cancelled it is never pooled again, because the queue may still hold a stale reference to it.</remarks>
internal sealed class StateOperation : IValueTaskSource<long>
{
    private const int Idle = 0;
    private const int Queued = 1;
    private const int Taken = 2;
    private const int Cancelled = 3;

    private ManualResetValueTaskSourceCore<long> _core = new() { RunContinuationsAsynchronously = true };
    private GroupCommitQueue? _owner;
    private CancellationTokenRegistration _cancellation;
    private int _state;
    private Outcome _outcome;
    private long _outcomeVersion;

    private enum Outcome
    {
        None,
        Applied,
        Refused,
    }

    /// <summary>The grain whose record is written.</summary>
    public GrainId GrainId { get; private set; }

    /// <summary>The state object's name within the grain.</summary>
    public string StateName { get; private set; } = string.Empty;

    /// <summary>The version the caller read; the operation applies only if the stored version (0: none) still equals it.</summary>
    public long ExpectedVersion { get; private set; }

    /// <summary>The bytes to store; empty for a clear. Owned by the caller, who must leave it unchanged until the operation completes.</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>True for a clear (store a tombstone), false for a write.</summary>
    public bool IsClear { get; private set; }

    /// <summary>Called by the executor: the operation applied inside the batch's transaction and produced <paramref name="newVersion"/>.</summary>
    public void SetApplied(long newVersion)
    {
        _outcome = Outcome.Applied;
        _outcomeVersion = newVersion;
    }

    /// <summary>Called by the executor: the stored version was <paramref name="storedVersion"/>, so the operation changed nothing.</summary>
    public void SetRefused(long storedVersion)
    {
        _outcome = Outcome.Refused;
        _outcomeVersion = storedVersion;
    }

    internal bool WasRefused => _outcome == Outcome.Refused;

    internal void Initialize(GroupCommitQueue owner, GrainId grainId, string stateName, long expectedVersion, ReadOnlyMemory<byte> payload, bool isClear)
    {
        _owner = owner;
        GrainId = grainId;
        StateName = stateName;
        ExpectedVersion = expectedVersion;
        Payload = payload;
        IsClear = isClear;
        _outcome = Outcome.None;
        Volatile.Write(ref _state, Queued);
    }

    /// <summary>Lets the caller abandon the operation while it still waits in the queue; once taken into a batch it runs to its outcome,
    /// because a caller who stopped waiting for a write that then happened would hold the wrong version.</summary>
    internal void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((StateOperation)state!).TryCancel(token), this);
        }
    }

    internal ValueTask<long> AsValueTask() => new(this, _core.Version);

    /// <summary>Claims the operation for a batch; false when its caller cancelled it first.</summary>
    internal bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>Undoes <see cref="Initialize"/> for an operation that never got into the queue; false when it was cancelled meanwhile.</summary>
    internal bool TryWithdraw()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Queued) != Queued)
        {
            return false;
        }

        // Waits for a cancellation callback that lost the race, so that it cannot run against the next use of this object.
        _cancellation.Dispose();
        _cancellation = default;
        return true;
    }

    /// <summary>Hands the outcome the executor recorded to the caller; called once the batch's transaction has committed.</summary>
    internal void Complete()
    {
        ReleaseCancellation();
        switch (_outcome)
        {
            case Outcome.Applied:
                _core.SetResult(_outcomeVersion);
                break;
            case Outcome.Refused:
                _core.SetException(new InconsistentStateException(GrainId, StateName, ExpectedVersion, _outcomeVersion));
                break;
            default:
                _core.SetException(new InvalidOperationException(
                    $"The storage's batch executor committed without recording an outcome for state '{StateName}' of grain {GrainId}."));
                break;
        }
    }

    /// <summary>Fails the caller; used when the batch's transaction did not commit.</summary>
    internal void Fail(Exception exception)
    {
        ReleaseCancellation();
        _core.SetException(exception);
    }

    private void ReleaseCancellation()
    {
        // Dispose (not Unregister) so that a callback already running has finished before the object can be reused.
        _cancellation.Dispose();
        _cancellation = default;
    }

    private void TryCancel(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            _core.SetException(new OperationCanceledException(cancellationToken));
        }
    }

    long IValueTaskSource<long>.GetResult(short token)
    {
        // Checked here, before the finally below, so that a second await of the same ValueTask cannot return the object to the pool twice.
        if (token != _core.Version)
        {
            throw new InvalidOperationException("A ValueTask of a grain storage operation was awaited twice.");
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            if (Volatile.Read(ref _state) != Cancelled)
            {
                var owner = _owner!;
                _core.Reset();
                _owner = null;
                Payload = default;
                StateName = string.Empty;
                GrainId = default;
                _state = Idle;
                owner.Return(this);
            }
        }
    }

    ValueTaskSourceStatus IValueTaskSource<long>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<long>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
