using Lineage.Runtime.Activation;
using Lineage.Runtime.Cluster.Serialization;
using Lineage.Runtime.Filters;
using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Timers;

/// <summary>One tick of a grain timer, queued and scheduled like a request.</summary>
internal sealed class TimerTick(GrainTimer timer, bool interleave, bool keepAlive) : RequestBase
{
    public override MethodDescriptor Method => interleave ? TimerMethods.InterleavedTick : TimerMethods.Tick;

    internal override bool KeepsActivationAlive => keepAlive;

    internal override void Start(GrainActivation activation, object grain)
    {
        Task task;
        try
        {
            task = timer.InvokeCallback();
        }
        catch (Exception exception)
        {
            Finish(activation, exception);
            return;
        }

        if (task.IsCompleted)
        {
            Finish(activation, task.Exception?.GetBaseException());
            return;
        }

        task.ContinueWith(
            static (t, s) =>
            {
                var (tick, activation) = ((TimerTick, GrainActivation))s!;
                tick.Finish(activation, t.Exception?.GetBaseException() ?? (t.IsCanceled ? new TaskCanceledException(t) : null));
            },
            (this, activation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Finish(GrainActivation activation, Exception? exception)
    {
        activation.OnRequestFinished(this, exception is not null);
        timer.OnTickFinished(exception);
    }

    internal override void Fail(Exception exception) => timer.OnTickFinished(null);

    // A tick is created by its own silo and never crosses a connection.
    protected override void WriteArguments(ref WireWriter writer) => throw new NotSupportedException("Timer ticks are never sent to another silo.");

    internal override void WriteResult(ref WireWriter writer) => throw new NotSupportedException("Timer ticks are never sent to another silo.");

    internal override void CompleteFromWire(ref WireReader reader) => throw new NotSupportedException("Timer ticks are never sent to another silo.");

    internal override Task InvokeForFilterAsync(IncomingCallContext context) => timer.InvokeCallback();

    internal override void DeliverFiltered(OutgoingCallContext context)
    {
    }
}
