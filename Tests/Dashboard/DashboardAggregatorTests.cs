using Lineage.Dashboard.Cluster;
using Lineage.Dashboard.Reports;
using Lineage.Dashboard.Sampling;
using Lineage.Runtime.Statistics;

namespace Lineage.Tests.Dashboard;

public sealed class DashboardAggregatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Dead_and_silent_silos_are_listed_with_the_reason_and_left_out_of_the_sums()
    {
        var silos = new[]
        {
            new SiloResult("a:1@1", "h1", "active", Now.AddHours(-1), Report("a:1@1", calls: 100, callsPerSecond: 10, activations: 4), null),
            new SiloResult("b:1@1", "h2", "dead", Now.AddHours(-2), null, "dead"),
            new SiloResult("c:1@1", "h3", "active", Now.AddMinutes(-5), null, "did not answer within 2 s"),
        };

        var overview = DashboardAggregator.Overview(silos, "a:1@1", clustered: true, 10, Now);

        Assert.Equal(["a:1@1", "b:1@1", "c:1@1"], overview.Silos.Select(s => s.Address));
        Assert.Equal(new ClusterTotals(3, 2, 1, 1, 4, 100, 0, 10, 0, overview.Totals.P50Milliseconds, overview.Totals.P99Milliseconds), overview.Totals);
        var dead = overview.Silos[1];
        Assert.False(dead.Answering);
        Assert.Equal("dead", dead.Status);
        Assert.Null(dead.UptimeSeconds);
        Assert.Null(dead.Calls);
        var silent = overview.Silos[2];
        Assert.False(silent.Answering);
        Assert.Equal("did not answer within 2 s", silent.Problem);
        Assert.Equal(300, silent.UptimeSeconds);
        Assert.Null(silent.Calls);
    }

    [Fact]
    public void Rates_stay_unknown_until_some_silo_has_measured_them()
    {
        var silos = new[] { new SiloResult("a:1@1", "h", "active", Now, Report("a:1@1", calls: 5, callsPerSecond: null), null) };

        var totals = DashboardAggregator.Overview(silos, "a:1@1", true, 10, Now).Totals;

        Assert.Null(totals.CallsPerSecond);
        Assert.Equal(5, totals.Calls);
    }

    [Fact]
    public void Chart_points_of_silos_in_the_same_second_add_up_and_their_latency_histograms_merge()
    {
        var second = Now.AddSeconds(-3);
        var fast = new SeriesPoint(second.AddMilliseconds(100), 100, 1, FakeStatistics.Histogram((10, 99)), 20, 100 * 1024 * 1024, 0, 0, 0);
        var slow = new SeriesPoint(second.AddMilliseconds(700), 1, 0, FakeStatistics.Histogram((20, 1)), 40, 50 * 1024 * 1024, 0, 3, 1);
        var later = new SeriesPoint(second.AddSeconds(1), 7, 0, [], 10, 0, 0, 0, 0);
        var a = Report("a:1@1", series: [fast, later]);
        var b = Report("b:1@1", series: [slow]);

        var chart = DashboardAggregator.Series([a, b]);

        Assert.Equal(2, chart.Count);
        var merged = chart[0];
        Assert.Equal(second.ToUnixTimeSeconds(), merged.At.ToUnixTimeSeconds());
        Assert.Equal(2, merged.Silos);
        Assert.Equal(101, merged.CallsPerSecond);
        Assert.Equal(30, merged.CpuPercent);
        Assert.Equal(150, merged.WorkingSetMegabytes);
        Assert.Equal(3, merged.AcceptedPerSecond);

        // 99 fast calls and 1 slow one: the median is fast, the 99th percentile is at the edge of the fast bucket, not an average.
        Assert.InRange(merged.P50Milliseconds!.Value, 0.512, 1.024);
        Assert.InRange(merged.P99Milliseconds!.Value, 0.512, 1.024);
        Assert.Null(chart[1].P50Milliseconds);
    }

    [Fact]
    public void Grain_types_sum_over_silos_with_methods_and_a_per_silo_breakdown()
    {
        var a = Report("a:1@1", types: [Type("echo", activations: 2, Method("Echo", 10, 1, 5.0), Method("Ping", 4, 0, 1.0))]);
        var b = Report("b:1@1", types: [Type("echo", activations: 3, Method("Echo", 20, 0, 2.0))]);

        var echo = Assert.Single(DashboardAggregator.GrainTypes([a, b]));

        Assert.Equal(5, echo.Activations);
        Assert.Equal(34, echo.Calls);
        Assert.Equal(1, echo.Errors);
        Assert.Equal(8, echo.CallsPerSecond);
        Assert.Equal(["Echo", "Ping"], echo.Methods.Select(m => m.Method));
        Assert.Equal(30, echo.Methods[0].Calls);
        Assert.Equal(7, echo.Methods[0].CallsPerSecond);
        Assert.Equal(["a:1@1", "b:1@1"], echo.Silos.Select(s => s.Silo));
        Assert.Equal([14L, 20L], echo.Silos.Select(s => s.Calls));
    }

    [Fact]
    public void Intake_sums_silos_and_merges_refusal_reasons_commonest_first()
    {
        var a = Report("a:1@1", intake: new IntakeStatisticsSnapshot(1, 10, 7, 1, 2, 0, null, [new("observedAt", 2)]));
        var b = Report("b:1@1", intake: new IntakeStatisticsSnapshot(2, 20, 15, 0, 5, 1, null, [new("observedAt", 1), new("url", 4)]));

        var intake = DashboardAggregator.Intake(
            [new SiloResult("a:1@1", "h", "active", Now, a, null), new SiloResult("b:1@1", "h", "active", Now, b, null), new SiloResult("c:1@1", "h", "dead", Now, null, "dead")],
            10,
            Now);

        Assert.True(intake.Reporting);
        Assert.Equal(30, intake.Received);
        Assert.Equal(22, intake.Accepted);
        Assert.Equal(7, intake.Refused);
        Assert.Null(intake.Backlog);
        Assert.Equal([new IntakeRefusalCount("url", 4), new IntakeRefusalCount("observedAt", 3)], intake.RefusedByReason);
        Assert.Equal(3, intake.Silos.Count);
        Assert.False(intake.Silos[2].Answering);
    }

    [Fact]
    public void Percentiles_of_an_empty_histogram_are_unknown_rather_than_zero()
    {
        Assert.Null(CounterMath.PercentileMilliseconds(new long[LatencyHistogram.BucketCount], 0.99));
        Assert.Null(CounterMath.PercentileMilliseconds([], 0.5));
        Assert.Equal(0.001, CounterMath.PercentileMilliseconds(FakeStatistics.Histogram((0, 5)), 1.0));
    }

    [Fact]
    public void Counter_deltas_treat_a_decrease_as_a_reset()
    {
        Assert.Equal(5, CounterMath.Delta(10, 15));
        Assert.Equal(3, CounterMath.Delta(10, 3));
        Assert.Equal([1L, 2L], CounterMath.Delta([4L, 4L], [5L, 6L]));
        Assert.Equal([1L, 3L], CounterMath.Delta([4L, 4L], [1L, 3L]));
        Assert.Equal([2L], CounterMath.Delta(null, [2L]));
    }

    private static SiloReport Report(
        string silo,
        long calls = 0,
        double? callsPerSecond = 0,
        int activations = 0,
        IReadOnlyList<SeriesPoint>? series = null,
        IReadOnlyList<GrainTypeReport>? types = null,
        IntakeStatisticsSnapshot? intake = null) =>
        new(silo, "host", Now, Now.AddHours(-1), activations, 2, 12.5, 100 * 1024 * 1024, 10 * 1024 * 1024, 10, calls, 0, callsPerSecond,
            callsPerSecond is null ? null : 0, FakeStatistics.Histogram((10, calls)), types ?? [], series ?? [], [],
            new IntakeFigures(intake ?? new IntakeStatisticsSnapshot(0, 0, 0, 0, 0, 0, null, []), 0, 0));

    private static GrainTypeReport Type(string type, long activations, params MethodReport[] methods) =>
        new(type, "Tests." + type, activations, methods.Sum(m => m.Calls), methods.Sum(m => m.Errors), methods.Sum(m => m.CallsPerSecond),
            0, FakeStatistics.Histogram((10, methods.Sum(m => m.Calls))), methods);

    private static MethodReport Method(string name, long calls, long errors, double callsPerSecond) =>
        new("ITest", name, calls, errors, callsPerSecond, 0, FakeStatistics.Histogram((10, calls)), FakeStatistics.Histogram((10, calls)), calls * 700);
}
