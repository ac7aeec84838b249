using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Statistics;

/// <summary>Counters of one method of one grain class: calls, errors and latency from send to completion.</summary>
public sealed class MethodStatistics(MethodDescriptor method)
{
    private long _calls;
    private long _errors;

    /// <summary>The method counted.</summary>
    public MethodDescriptor Method { get; } = method;

    /// <summary>Completed calls, failed ones included.</summary>
    public long Calls => Volatile.Read(ref _calls);

    /// <summary>Calls that ended in an exception.</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Latency from the caller's send to the grain's completion, queueing included.</summary>
    public LatencyHistogram Latency { get; } = new();

    internal void Record(long microseconds, bool failed)
    {
        Interlocked.Increment(ref _calls);
        if (failed)
        {
            Interlocked.Increment(ref _errors);
        }

        Latency.Record(microseconds);
    }
}
