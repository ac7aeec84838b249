using Lineage.Runtime.Activation;

namespace Lineage.Runtime.Statistics;

/// <summary>Reads the silo's live figures into a snapshot for the stats endpoint and the dashboard.</summary>
public sealed class SiloStatistics
{
    private readonly LocalGrainRuntime _runtime;

    internal SiloStatistics(LocalGrainRuntime runtime)
    {
        _runtime = runtime;
    }

    /// <summary>Takes a snapshot of every grain type and method that has activations or calls.</summary>
    public RuntimeStatisticsSnapshot Snapshot()
    {
        var grainTypes = new List<GrainTypeStatistics>();
        foreach (var grainClass in _runtime.Registry.Classes.OrderBy(c => c.GrainType, StringComparer.Ordinal))
        {
            var methods = new List<MethodCallStatistics>();
            foreach (var method in grainClass.Methods)
            {
                var calls = method.Calls;
                if (calls == 0)
                {
                    continue;
                }

                var buckets = method.Latency.Snapshot();
                methods.Add(new MethodCallStatistics(
                    method.Method.Interface.Name,
                    method.Method.Name,
                    calls,
                    method.Errors,
                    new LatencySummary(
                        Math.Round(LatencyHistogram.Percentile(buckets, 0.50), 1),
                        Math.Round(LatencyHistogram.Percentile(buckets, 0.90), 1),
                        Math.Round(LatencyHistogram.Percentile(buckets, 0.99), 1),
                        buckets)
                    {
                        SumMicroseconds = method.Latency.SumMicroseconds,
                    }));
            }

            if (grainClass.Activations == 0 && methods.Count == 0)
            {
                continue;
            }

            grainTypes.Add(new GrainTypeStatistics(grainClass.GrainType, grainClass.Descriptor.GrainClass.FullName ?? grainClass.GrainType, grainClass.Activations, methods));
        }

        var now = _runtime.TimeProvider.GetUtcNow();
        return new RuntimeStatisticsSnapshot(now, _runtime.StartedAt, _runtime.Catalog.Count, grainTypes);
    }
}

/// <summary>The silo's figures at one moment.</summary>
/// <param name="Timestamp">When the snapshot was taken.</param>
/// <param name="StartedAt">When the silo's runtime started.</param>
/// <param name="Activations">Activations in the catalog, including ones activating or deactivating.</param>
/// <param name="GrainTypes">Per grain type figures, for types with activations or calls.</param>
public sealed record RuntimeStatisticsSnapshot(DateTimeOffset Timestamp, DateTimeOffset StartedAt, int Activations, IReadOnlyList<GrainTypeStatistics> GrainTypes);

/// <summary>Figures of one grain type.</summary>
/// <param name="GrainType">The grain type name.</param>
/// <param name="GrainClass">The implementing class.</param>
/// <param name="Activations">Live activations that finished activating.</param>
/// <param name="Methods">Per method figures, for methods that were called.</param>
public sealed record GrainTypeStatistics(string GrainType, string GrainClass, long Activations, IReadOnlyList<MethodCallStatistics> Methods);

/// <summary>Figures of one method of one grain type.</summary>
/// <param name="Interface">The declaring grain interface.</param>
/// <param name="Method">The method name.</param>
/// <param name="Calls">Completed calls.</param>
/// <param name="Errors">Calls that ended in an exception (timeouts and refused cycles included).</param>
/// <param name="LatencyMicroseconds">Latency from send to completion.</param>
public sealed record MethodCallStatistics(string Interface, string Method, long Calls, long Errors, LatencySummary LatencyMicroseconds);

/// <summary>Latency percentiles in microseconds and the histogram they come from (bucket i counts durations below 2^i µs).</summary>
public sealed record LatencySummary(double P50, double P90, double P99, long[] Histogram)
{
    /// <summary>The sum of every recorded latency in microseconds (Prometheus' histogram <c>_sum</c>).</summary>
    public long SumMicroseconds { get; init; }
}
