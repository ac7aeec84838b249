using Lineage.Runtime.Activation;
using Lineage.Runtime.Cluster.Serialization;
using Lineage.Runtime.Filters;

namespace Lineage.Runtime.Invocation;

/// <summary>One call to one grain method: its arguments, its routing, and the caller's pending result.</summary>
/// <remarks>Generated code derives from <see cref="Request{TResult}"/>; the members the runtime needs are internal so
/// that nothing outside the runtime can implement them differently.</remarks>
public abstract class RequestBase
{
    private int _completed;

    private protected RequestBase()
    {
    }

    /// <summary>The method this request calls.</summary>
    public abstract MethodDescriptor Method { get; }

    /// <summary>The request's arguments, boxed; used only by call filters and diagnostics, never on the plain call path.</summary>
    public virtual object?[] GetArguments() => [];

    internal GrainId TargetId;

    /// <summary>The grains waiting on this request, for cycle detection; null for calls from outside any grain.</summary>
    internal CallChain? Chain;

    /// <summary>When the request was sent, as a <see cref="TimeProvider"/> timestamp.</summary>
    internal long SentTimestamp;

    /// <summary>After this timestamp the caller is released with a timeout.</summary>
    internal long DeadlineTimestamp;

    /// <summary>Set when outgoing call filters wrap this request; the response goes to the filters first.</summary>
    internal OutgoingCallContext? Interceptor;

    /// <summary>Where the result goes when the call came from another silo or a client; null for calls made in this process.</summary>
    internal IResponseSink? ResponseSink;

    /// <summary>The caller's correlation id of a call that came over a connection, echoed in the response.</summary>
    internal long ResponseCorrelation;

    /// <summary>How many silos forwarded this request because they did not own its grain.</summary>
    internal byte Hops;

    internal bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Whether finishing this request counts as activity that postpones idle collection (timer ticks may not).</summary>
    internal virtual bool KeepsActivationAlive => true;

    /// <summary>Whether the caller waits for this request (false for <see cref="OneWayAttribute"/> methods).</summary>
    internal bool IsOneWay => (Method.Options & MethodOptions.OneWay) != 0;

    /// <summary>Claims the right to complete the caller; the first of result, error and timeout wins.</summary>
    private protected bool TryMarkCompleted() => Interlocked.Exchange(ref _completed, 1) == 0;

    /// <summary>Writes the request's arguments in declaration order; implemented by generated code.</summary>
    protected abstract void WriteArguments(ref WireWriter writer);

    internal void SerializeArguments(ref WireWriter writer) => WriteArguments(ref writer);

    /// <summary>Writes the result recorded for <see cref="ResponseSink"/>.</summary>
    internal abstract void WriteResult(ref WireWriter writer);

    /// <summary>Completes the caller with a result read from another silo's response.</summary>
    internal abstract void CompleteFromWire(ref WireReader reader);

    /// <summary>Runs the grain method on <paramref name="grain"/> inside <paramref name="activation"/>'s turn and
    /// reports the end of the turn to the activation before releasing the caller.</summary>
    internal abstract void Start(GrainActivation activation, object grain);

    /// <summary>Releases the caller with <paramref name="exception"/> unless it has already been released.</summary>
    internal abstract void Fail(Exception exception);

    /// <summary>Runs the last step of an incoming filter chain: the grain method itself, storing its result in the context.</summary>
    internal abstract Task InvokeForFilterAsync(IncomingCallContext context);

    /// <summary>Releases the caller with what the outgoing filters left in <paramref name="context"/>.</summary>
    internal abstract void DeliverFiltered(OutgoingCallContext context);
}
