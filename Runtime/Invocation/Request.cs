using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Lineage.Runtime.Activation;
using Lineage.Runtime.Cluster.Serialization;
using Lineage.Runtime.Filters;

namespace Lineage.Runtime.Invocation;

/// <summary>A request whose method produces <typeparamref name="TResult"/>; the request object is also the caller's awaitable.</summary>
/// <remarks>Using the request as the <see cref="IValueTaskSource{TResult}"/> means a local call allocates the request and nothing
/// else on its way to the grain and back. Each request is used once, so the source's version never wraps.</remarks>
public abstract class Request<TResult> : RequestBase, IValueTaskSource<TResult>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<TResult> _core;
    private ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter _awaiter;
    private GrainActivation? _activation;
    private TResult? _wireResult;

    /// <summary>Calls the grain method on <paramref name="grain"/>; implemented by generated code.</summary>
    protected abstract ValueTask<TResult> InvokeCore(object grain);

    /// <summary>The caller's view of the result.</summary>
    public ValueTask<TResult> AsValueTask() => new(this, _core.Version);

    /// <summary>The caller's view of completion, for methods without a result.</summary>
    public ValueTask AsVoidValueTask() => new(this, _core.Version);

    /// <summary>Adapts a grain method's <see cref="Task"/> to the request's result type without allocating when it has already completed.</summary>
    protected static ValueTask<NoResult> Await(Task task) => task.IsCompletedSuccessfully ? default : AwaitSlow(task);

    /// <summary>Adapts a grain method's <see cref="ValueTask"/> to the request's result type without allocating when it has already completed.</summary>
    protected static ValueTask<NoResult> Await(ValueTask task) => task.IsCompletedSuccessfully ? default : AwaitSlow(task.AsTask());

    private static async ValueTask<NoResult> AwaitSlow(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    internal override void Start(GrainActivation activation, object grain)
    {
        if (activation.Runtime.IncomingFilters.Length > 0)
        {
            _ = StartFilteredAsync(activation, grain);
            return;
        }

        ValueTask<TResult> pending;
        try
        {
            pending = InvokeCore(grain);
        }
        catch (Exception exception)
        {
            Finish(activation, exception);
            return;
        }

        if (pending.IsCompleted)
        {
            _awaiter = pending.ConfigureAwait(false).GetAwaiter();
            Harvest(activation);
            return;
        }

        _activation = activation;
        _awaiter = pending.ConfigureAwait(false).GetAwaiter();
        _awaiter.UnsafeOnCompleted(OnInvokeCompleted);
    }

    private void OnInvokeCompleted() => Harvest(_activation!);

    private void Harvest(GrainActivation activation)
    {
        TResult result;
        try
        {
            result = _awaiter.GetResult();
        }
        catch (Exception exception)
        {
            Finish(activation, exception);
            return;
        }

        _awaiter = default;
        _activation = null;
        activation.OnRequestFinished(this, failed: false);
        TrySetResult(result);
    }

    private void Finish(GrainActivation activation, Exception exception)
    {
        _awaiter = default;
        _activation = null;
        activation.OnRequestFinished(this, failed: true);
        TrySetException(exception);
    }

    private async Task StartFilteredAsync(GrainActivation activation, object grain)
    {
        var context = new IncomingCallContext(this, grain, activation);
        try
        {
            await context.Invoke();
        }
        catch (Exception exception)
        {
            activation.OnRequestFinished(this, failed: true);
            TrySetException(exception);
            return;
        }

        activation.OnRequestFinished(this, failed: false);
        TrySetResult(context.Result is TResult typed ? typed : default!);
    }

    internal override async Task InvokeForFilterAsync(IncomingCallContext context)
    {
        context.Result = await InvokeCore(context.Grain);
    }

    internal override void Fail(Exception exception) => TrySetException(exception);

    internal override void DeliverFiltered(OutgoingCallContext context)
    {
        if (!TryMarkCompleted())
        {
            return;
        }

        if (context.Exception is { } exception)
        {
            Release(exception);
        }
        else
        {
            Release(context.Result is TResult typed ? typed : default!);
        }
    }

    internal override void WriteResult(ref WireWriter writer) => WireCodec<TResult>.Write(ref writer, _wireResult!);

    internal override void CompleteFromWire(ref WireReader reader) => TrySetResult(WireCodec<TResult>.Read(ref reader));

    internal void TrySetResult(TResult result)
    {
        if (ResponseSink is { } sink)
        {
            if (TryMarkCompleted())
            {
                _wireResult = result;
                sink.OnCompleted(this, null);
            }

            return;
        }

        if (Interceptor is { } interceptor)
        {
            interceptor.OnResponse(result, null);
            return;
        }

        if (TryMarkCompleted())
        {
            Release(result);
        }
    }

    internal void TrySetException(Exception exception)
    {
        if (ResponseSink is { } sink)
        {
            if (TryMarkCompleted())
            {
                sink.OnCompleted(this, exception);
            }

            return;
        }

        if (Interceptor is { } interceptor)
        {
            interceptor.OnResponse(null, exception);
            return;
        }

        if (TryMarkCompleted())
        {
            Release(exception);
        }
    }

    // The caller's continuation may run inline on this thread; it must not run inside the callee's
    // synchronization context, or caller code would execute as if it were part of the callee's turn.
    private void Release(TResult result)
    {
        var context = SynchronizationContext.Current;
        if (context is null)
        {
            _core.SetResult(result);
            return;
        }

        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            _core.SetResult(result);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void Release(Exception exception)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            _core.SetException(exception);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    TResult IValueTaskSource<TResult>.GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
