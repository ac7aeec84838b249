using Lineage.Dashboard;
using Lineage.Dashboard.Sampling;
using Lineage.Runtime.Statistics;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Dashboard;

/// <summary>A silo's cumulative counters that a test sets by hand, read by a sampler on a manual clock.</summary>
internal sealed class FakeStatistics
{
    private readonly Dictionary<(string Type, string Method), (long Calls, long Errors, long[] Latency)> _methods = [];

    public FakeStatistics(DashboardOptions? options = null)
    {
        Options = options ?? new DashboardOptions();
        Sampler = new StatisticsSampler(Read, () => Intake, () => Process, Options, Time);
    }

    public ManualTimeProvider Time { get; } = new();

    public DashboardOptions Options { get; }

    public StatisticsSampler Sampler { get; }

    public IntakeStatisticsSnapshot Intake { get; set; } = new(0, 0, 0, 0, 0, 0, null, []);

    public ProcessSample Process { get; set; } = new(TimeSpan.Zero, 100 * 1024 * 1024, 10 * 1024 * 1024);

    public string GrainClassOf { get; set; } = "Tests.EchoGrain";

    /// <summary>Sets a method's counters since start; <paramref name="latency"/> lists (bucket, count) pairs.</summary>
    public void Set(string type, string method, long calls, long errors = 0, params (int Bucket, long Count)[] latency)
    {
        _methods[(type, method)] = (calls, errors, Histogram(latency));
    }

    public void Tick(TimeSpan? by = null)
    {
        Time.Advance(by ?? Options.SampleInterval);
        Sampler.Sample();
    }

    public static long[] Histogram(params (int Bucket, long Count)[] counts)
    {
        var histogram = new long[LatencyHistogram.BucketCount];
        foreach (var (bucket, count) in counts)
        {
            histogram[bucket] += count;
        }

        return histogram;
    }

    private RuntimeStatisticsSnapshot Read()
    {
        var types = _methods
            .GroupBy(m => m.Key.Type)
            .Select(g => new GrainTypeStatistics(
                g.Key,
                g.Key == "silostatistics" ? typeof(Lineage.Dashboard.Reports.SiloStatisticsGrain).FullName! : GrainClassOf,
                1,
                g.Select(m => new MethodCallStatistics("ITest", m.Key.Method, m.Value.Calls, m.Value.Errors, new LatencySummary(0, 0, 0, m.Value.Latency)))
                    .ToList()))
            .ToList();
        return new RuntimeStatisticsSnapshot(Time.GetUtcNow(), new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero), types.Count, types);
    }
}
