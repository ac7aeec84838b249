using System.Diagnostics;
using Lineage.Runtime.Hosting;
using Lineage.Runtime.Invocation;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Timers;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Activation;

/// <summary>One in-memory instance of a grain: its mailbox, its turn discipline and its life cycle.</summary>
/// <remarks>
/// The activation is its own <see cref="SynchronizationContext"/> and its own thread-pool work item. Grain code runs with the
/// activation as the current context, so every <c>await</c> in grain code posts its continuation back here, and the activation
/// runs at most one piece of grain code at a time: requests interleave only at await points and only where the grain class or
/// method allows it. Continuations of running requests always run before new requests start.
/// </remarks>
internal sealed class GrainActivation : SynchronizationContext, IThreadPoolWorkItem, IGrainActivationContext
{
    // Work items run per thread-pool dispatch before yielding the thread to other activations.
    private const int ItemsPerQuantum = 128;

    [ThreadStatic]
    private static GrainActivation? t_constructing;

    private readonly Lock _lock = new();
    private ActivationState _state;
    private Grain? _grain;
    private Queue<RequestBase>? _pending;
    private Queue<(SendOrPostCallback Callback, object? State)>? _continuations;
    private RequestBase? _running;
    private List<RequestBase>? _runningMore;
    private RequestBase? _soloRequest;
    private int _runningCount;
    private int _runningWriters;
    private bool _scheduled;
    private bool _lifecycleStepDue;
    private DeactivationReason? _deactivationReason;
    private List<IPersistentStateLoader>? _states;
    private List<GrainTimer>? _timers;
    private TaskCompletionSource? _deactivated;

    public GrainActivation(GrainId grainId, GrainClassInfo classInfo, LocalGrainRuntime runtime)
    {
        GrainId = grainId;
        ClassInfo = classInfo;
        Runtime = runtime;
        LastActiveTimestamp = runtime.TimeProvider.GetTimestamp();
    }

    /// <summary>The activation whose grain constructor is running on this thread; lets <see cref="Grain"/>'s constructor find it.</summary>
    internal static GrainActivation? Constructing => t_constructing;

    public GrainId GrainId { get; }

    public GrainClassInfo ClassInfo { get; }

    public LocalGrainRuntime Runtime { get; }

    public IServiceProvider Services => Runtime.Services;

    /// <summary>When the last request finished (or the activation was created), as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LastActiveTimestamp { get; private set; }

    public bool IsValid => _state == ActivationState.Valid;

    /// <summary>True when nothing is running or waiting: a candidate for collection.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return _state == ActivationState.Valid && _runningCount == 0 && (_pending is null || _pending.Count == 0)
                    && (_continuations is null || _continuations.Count == 0);
            }
        }
    }

    public bool IsDeactivationRequestedOnIdle { get; set; }

    /// <summary>The request that started while nothing else ran here; grain code of that request runs without an ambient
    /// <see cref="RuntimeContext.CurrentRequest"/>, and this identifies it instead (see <see cref="StartRequest"/>).</summary>
    public RequestBase? SoloRequest => Volatile.Read(ref _soloRequest);

    /// <summary>Requests whose turn has started and not ended (interleaved ones included).</summary>
    public int RunningCount
    {
        get
        {
            lock (_lock)
            {
                return _state == ActivationState.Valid ? _runningCount : 0;
            }
        }
    }

    /// <summary>Completes when the activation has left the catalog.</summary>
    public Task Deactivated
    {
        get
        {
            lock (_lock)
            {
                if (_state == ActivationState.Invalid)
                {
                    return Task.CompletedTask;
                }

                _deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _deactivated.Task;
            }
        }
    }

    /// <summary>Queues <paramref name="request"/>; false when the activation is gone and the caller must route again.</summary>
    public bool TryEnqueue(RequestBase request)
    {
        var schedule = false;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            if (request.Chain is { } chain && _runningCount > 0 && chain.Contains(GrainId) && !MayInterleave(request))
            {
                // The chain proves this activation is blocked waiting on the very call that is now calling back.
                ClassInfo.Record(request.Method, 0, failed: true);
                request.Fail(new DeadlockException(chain.DescribeCycle(GrainId)));
                return true;
            }

            (_pending ??= new Queue<RequestBase>()).Enqueue(request);
            if (!_scheduled && (_state == ActivationState.Created || CanStartLocked(request)))
            {
                _scheduled = true;
                schedule = true;
            }
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }

        return true;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        var schedule = false;
        lock (_lock)
        {
            (_continuations ??= new Queue<(SendOrPostCallback, object?)>()).Enqueue((d, state));
            if (!_scheduled)
            {
                _scheduled = true;
                schedule = true;
            }
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into a grain's context would block its turn; use await instead.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Asks the activation to deactivate once its running turns end; waiting requests go to the next activation.</summary>
    public void Deactivate(DeactivationReason reason)
    {
        var schedule = false;
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid || _deactivationReason is not null)
            {
                return;
            }

            _deactivationReason = reason;
            if (_state == ActivationState.Valid)
            {
                _state = ActivationState.Deactivating;
                _lifecycleStepDue = true;
            }

            if (!_scheduled && _runningCount == 0)
            {
                _scheduled = true;
                schedule = true;
            }
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Called by a request when its turn ends, before its caller is released.</summary>
    public void OnRequestFinished(RequestBase request, bool failed)
    {
        var now = Runtime.TimeProvider.GetTimestamp();
        ClassInfo.Record(request.Method, Runtime.ElapsedMicroseconds(request.SentTimestamp, now), failed);
        var schedule = false;
        lock (_lock)
        {
            RemoveRunningLocked(request);
            if (request.KeepsActivationAlive)
            {
                LastActiveTimestamp = now;
            }

            if (!_scheduled && HasRunnableWorkLocked())
            {
                _scheduled = true;
                schedule = true;
            }
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }

        if (IsDeactivationRequestedOnIdle)
        {
            Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));
        }
    }

    /// <summary>Releases callers whose deadline has passed: waiting ones are dropped, running ones keep running un-awaited.</summary>
    public void ReleaseExpired(long now)
    {
        // The sweep visits every activation each period, and almost all are idle: skip those without taking the lock (7% of a silo's
        // CPU during intake with 300,000 activations). The unlocked reads may miss a request arriving at this moment; the next sweep
        // sees it, so it is released at most one period late — the sweep's resolution anyway.
        if (Volatile.Read(ref _runningCount) == 0 && Volatile.Read(ref _pending) is not { Count: > 0 })
        {
            return;
        }

        List<(RequestBase Request, bool Started)>? expired = null;
        lock (_lock)
        {
            if (_pending is { Count: > 0 } pending && pending.Peek().DeadlineTimestamp <= now)
            {
                var keep = new Queue<RequestBase>(pending.Count);
                foreach (var request in pending)
                {
                    if (request.DeadlineTimestamp <= now)
                    {
                        (expired ??= []).Add((request, false));
                    }
                    else
                    {
                        keep.Enqueue(request);
                    }
                }

                _pending = keep;
            }

            if (_running is { } running && running.DeadlineTimestamp <= now && !running.IsCompleted)
            {
                (expired ??= []).Add((running, true));
            }

            if (_runningMore is not null)
            {
                foreach (var request in _runningMore)
                {
                    if (request.DeadlineTimestamp <= now && !request.IsCompleted)
                    {
                        (expired ??= []).Add((request, true));
                    }
                }
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var (request, started) in expired)
        {
            request.Fail(new GrainCallTimeoutException(GrainId, request.Method.ToString(), Runtime.Options.RequestTimeout, started));
            if (!started)
            {
                ClassInfo.Record(request.Method, Runtime.ElapsedMicroseconds(request.SentTimestamp, now), failed: true);
            }
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var i = 0; i < ItemsPerQuantum; i++)
            {
                RequestBase? request = null;
                SendOrPostCallback? callback = null;
                object? callbackState = null;
                var lifecycleStep = false;
                var solo = false;
                lock (_lock)
                {
                    if (_continuations is { Count: > 0 } continuations)
                    {
                        (callback, callbackState) = continuations.Dequeue();
                    }
                    else if (_state == ActivationState.Created)
                    {
                        _state = ActivationState.Activating;
                        _runningCount++;
                        _runningWriters++;
                        lifecycleStep = true;
                    }
                    else if (_lifecycleStepDue && _runningCount == 0)
                    {
                        _lifecycleStepDue = false;
                        _runningCount++;
                        _runningWriters++;
                        lifecycleStep = true;
                    }
                    else if (!TryTakeStartableLocked(out request))
                    {
                        _scheduled = false;
                        return;
                    }
                    else if (_runningCount == 1)
                    {
                        solo = true;
                        _soloRequest = request;
                    }
                }

                if (callback is not null)
                {
                    callback(callbackState);
                }
                else if (lifecycleStep)
                {
                    _ = _state == ActivationState.Activating ? ActivateAsync() : DeactivateAsync();
                }
                else
                {
                    StartRequest(request!, solo);
                }
            }

            // Quantum spent: yield the thread so one busy grain cannot starve the others.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    // Outgoing calls need the calling request, for its call chain. A request that runs alone is identified by the activation
    // (SoloRequest), which costs nothing; only requests that interleave with others pay for an AsyncLocal, which allocates.
    // Work items run on thread-pool threads with the default execution context, so a solo request starts with no ambient request.
    private void StartRequest(RequestBase request, bool solo)
    {
        var grain = _grain!;
        if (solo && RuntimeContext.CurrentRequest is null)
        {
            request.Start(this, grain);
            return;
        }

        var previous = RuntimeContext.CurrentRequest;
        RuntimeContext.CurrentRequest = request;
        try
        {
            request.Start(this, grain);
        }
        finally
        {
            RuntimeContext.CurrentRequest = previous;
        }
    }

    private bool MayInterleave(RequestBase request) =>
        ClassInfo.IsReentrant || (request.Method.Options & MethodOptions.AlwaysInterleave) != 0;

    private bool CanStartLocked(RequestBase request)
    {
        if (_state != ActivationState.Valid)
        {
            return false;
        }

        if (_runningCount == 0 || MayInterleave(request))
        {
            return true;
        }

        return (request.Method.Options & MethodOptions.ReadOnly) != 0 && _runningWriters == 0;
    }

    private bool HasRunnableWorkLocked()
    {
        if (_continuations is { Count: > 0 })
        {
            return true;
        }

        if (_lifecycleStepDue && _runningCount == 0)
        {
            return true;
        }

        if (_pending is not { Count: > 0 } pending || _state != ActivationState.Valid)
        {
            return false;
        }

        return CanStartLocked(pending.Peek()) || (_runningCount > 0 && AnyStartableLocked(pending));
    }

    private bool AnyStartableLocked(Queue<RequestBase> pending)
    {
        foreach (var request in pending)
        {
            if (CanStartLocked(request))
            {
                return true;
            }
        }

        return false;
    }

    private bool TryTakeStartableLocked(out RequestBase? request)
    {
        request = null;
        if (_pending is not { Count: > 0 } pending || _state != ActivationState.Valid)
        {
            return false;
        }

        var head = pending.Peek();
        if (CanStartLocked(head))
        {
            request = pending.Dequeue();
        }
        else if (_runningCount > 0 && AnyStartableLocked(pending))
        {
            // An interleavable request may overtake one that must wait for the running turn; order among the rest is kept.
            var rest = new Queue<RequestBase>(pending.Count);
            foreach (var candidate in pending)
            {
                if (request is null && CanStartLocked(candidate))
                {
                    request = candidate;
                }
                else
                {
                    rest.Enqueue(candidate);
                }
            }

            _pending = rest;
        }

        if (request is null)
        {
            return false;
        }

        AddRunningLocked(request);
        return true;
    }

    private void AddRunningLocked(RequestBase request)
    {
        _runningCount++;
        if ((request.Method.Options & MethodOptions.ReadOnly) == 0)
        {
            _runningWriters++;
        }

        if (_running is null)
        {
            _running = request;
        }
        else
        {
            (_runningMore ??= []).Add(request);
        }
    }

    private void RemoveRunningLocked(RequestBase request)
    {
        _runningCount--;
        if (ReferenceEquals(_soloRequest, request))
        {
            _soloRequest = null;
        }

        if ((request.Method.Options & MethodOptions.ReadOnly) == 0)
        {
            _runningWriters--;
        }

        if (ReferenceEquals(_running, request))
        {
            _running = null;
            if (_runningMore is { Count: > 0 } more)
            {
                _running = more[^1];
                more.RemoveAt(more.Count - 1);
            }
        }
        else
        {
            _runningMore?.Remove(request);
        }
    }

    private async Task ActivateAsync()
    {
        Exception? failure = null;
        try
        {
            t_constructing = this;
            try
            {
                _grain = ClassInfo.Descriptor.Create(this);
            }
            finally
            {
                t_constructing = null;
            }

            if (_states is not null)
            {
                foreach (var state in _states)
                {
                    await state.ReadStateAsync(CancellationToken.None);
                }
            }

            using var cancellation = new CancellationTokenSource(Runtime.Options.ActivationTimeout, Runtime.TimeProvider);
            await _grain.OnActivateAsync(cancellation.Token);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        if (failure is null)
        {
            var schedule = false;
            lock (_lock)
            {
                _runningCount--;
                _runningWriters--;
                if (_deactivationReason is not null)
                {
                    _state = ActivationState.Deactivating;
                    _lifecycleStepDue = true;
                }
                else
                {
                    _state = ActivationState.Valid;
                }

                ClassInfo.ActivationAdded();
                if (!_scheduled && HasRunnableWorkLocked())
                {
                    _scheduled = true;
                    schedule = true;
                }
            }

            // Normally this runs inside Execute, which drains what is now runnable; the flag says when it does not.
            if (schedule)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            }

            return;
        }

        Runtime.Log.ActivationFailed(failure, GrainId);
        var waiting = Invalidate();
        DisposeTimers();
        if (waiting is not null)
        {
            var error = new ActivationFailedException(GrainId, failure);
            foreach (var request in waiting)
            {
                ClassInfo.Record(request.Method, Runtime.ElapsedMicroseconds(request.SentTimestamp, Runtime.TimeProvider.GetTimestamp()), failed: true);
                request.Fail(error);
            }
        }

        CompleteDeactivated();
    }

    private async Task DeactivateAsync()
    {
        var reason = _deactivationReason ?? new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "Deactivated.");
        DisposeTimers();
        try
        {
            using var cancellation = new CancellationTokenSource(Runtime.Options.DeactivationTimeout, Runtime.TimeProvider);
            await _grain!.OnDeactivateAsync(reason, cancellation.Token);
        }
        catch (Exception exception)
        {
            Runtime.Log.DeactivationFailed(exception, GrainId);
        }

        var waiting = Invalidate();
        ClassInfo.ActivationRemoved();
        Runtime.Log.Deactivated(GrainId, reason);
        CompleteDeactivated();
        if (waiting is not null)
        {
            foreach (var request in waiting)
            {
                Runtime.Forward(request);
            }
        }
    }

    /// <summary>Ends the life-cycle turn, leaves the catalog, and hands back the requests that never started here.</summary>
    private Queue<RequestBase>? Invalidate()
    {
        Queue<RequestBase>? waiting;
        lock (_lock)
        {
            _runningCount--;
            _runningWriters--;
            _state = ActivationState.Invalid;
            waiting = _pending;
            _pending = null;
        }

        Runtime.Catalog.Remove(this);
        return waiting;
    }

    private void CompleteDeactivated()
    {
        TaskCompletionSource? deactivated;
        lock (_lock)
        {
            deactivated = _deactivated;
        }

        deactivated?.TrySetResult();
    }

    public void AddTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                throw new InvalidOperationException($"Grain {GrainId} is deactivating; it cannot register timers.");
            }

            (_timers ??= []).Add(timer);
        }
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers?.Remove(timer);
        }
    }

    private void DisposeTimers()
    {
        List<GrainTimer>? timers;
        lock (_lock)
        {
            timers = _timers;
            _timers = null;
        }

        if (timers is not null)
        {
            foreach (var timer in timers)
            {
                timer.DisposeCore();
            }
        }
    }

    public IPersistentState<TState> GetPersistentState<TState>(string stateName, string? storageName)
        where TState : new()
    {
        Debug.Assert(_state == ActivationState.Activating, "State objects are created while the grain is constructed.");
        var state = Runtime.CreatePersistentState<TState>(GrainId, stateName, storageName);
        (_states ??= []).Add((IPersistentStateLoader)state);
        return state;
    }

    public Grain Grain => _grain ?? throw new InvalidOperationException($"Grain {GrainId} is not constructed yet.");

    public override string ToString() => $"activation of {GrainId} ({_state})";
}
