using Lineage.Dashboard;
using Lineage.Dashboard.Cluster;
using Lineage.Dashboard.Reports;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Dashboard;

public sealed class StatisticsSamplerTests
{
    private static readonly SiloReportQuery Everything = new(null, IncludeSeries: true, IncludeLog: false);

    [Fact]
    public void Rates_come_from_counter_deltas_per_interval_and_over_the_window()
    {
        var silo = new FakeStatistics();
        silo.Set("echo", "Echo", calls: 0);
        silo.Sampler.Sample();
        silo.Set("echo", "Echo", calls: 50, errors: 5);
        silo.Tick();
        silo.Set("echo", "Echo", calls: 150, errors: 5);
        silo.Tick();

        var report = silo.Sampler.Report("s1", Everything, []);

        Assert.Equal([50.0, 100.0], report.Series.Select(p => p.CallsPerSecond));
        Assert.Equal([5.0, 0.0], report.Series.Select(p => p.ErrorsPerSecond));
        Assert.Equal(150, report.Calls);
        Assert.Equal(2, report.WindowSeconds);
        Assert.Equal(75, report.CallsPerSecond);
        Assert.Equal(2.5, report.ErrorsPerSecond);
        var method = Assert.Single(Assert.Single(report.GrainTypes).Methods);
        Assert.Equal(75, method.CallsPerSecond);
    }

    [Fact]
    public void The_window_slides_so_old_calls_stop_counting()
    {
        var silo = new FakeStatistics(new DashboardOptions { RateWindow = TimeSpan.FromSeconds(3) });
        silo.Set("echo", "Echo", calls: 0);
        silo.Sampler.Sample();
        silo.Set("echo", "Echo", calls: 1000);
        silo.Tick();
        for (var i = 0; i < 5; i++)
        {
            silo.Tick();
        }

        var report = silo.Sampler.Report("s1", Everything, []);

        // The burst was five seconds ago: the 3 s window no longer sees it, the totals still do.
        Assert.Equal(0, report.CallsPerSecond);
        Assert.Equal(1000, report.Calls);
        Assert.Equal(3, report.WindowSeconds);
    }

    [Fact]
    public void A_counter_that_goes_backwards_was_reset_and_counts_from_zero()
    {
        var silo = new FakeStatistics();
        silo.Set("echo", "Echo", calls: 1000, errors: 10, (10, 1000));
        silo.Sampler.Sample();
        silo.Set("echo", "Echo", calls: 30, errors: 1, (12, 30));
        silo.Tick();

        var point = Assert.Single(silo.Sampler.Report("s1", Everything, []).Series);

        Assert.Equal(30, point.CallsPerSecond);
        Assert.Equal(1, point.ErrorsPerSecond);
        Assert.Equal(30, point.Latency.Sum());
        Assert.Equal(30, point.Latency[12]);
    }

    [Fact]
    public void Window_percentiles_come_from_the_histogram_delta_not_from_since_start()
    {
        var silo = new FakeStatistics();
        silo.Set("echo", "Echo", calls: 100, errors: 0, (10, 100));
        silo.Sampler.Sample();
        silo.Set("echo", "Echo", calls: 200, errors: 0, (10, 100), (14, 100));
        silo.Tick();

        var view = DashboardAggregator.Silo(new SiloResult("s1", "host", "active", null, silo.Sampler.Report("s1", Everything, []), null), silo.Time.GetUtcNow());

        // Only the window's calls took 8.192-16.384 ms; the old sub-millisecond ones must not pull the median down.
        Assert.InRange(view.P50Milliseconds!.Value, 8.192, 16.384);
        Assert.InRange(view.P99Milliseconds!.Value, 8.192, 16.384);
    }

    [Fact]
    public void Rates_are_unknown_until_a_second_reading_exists()
    {
        var silo = new FakeStatistics();
        silo.Set("echo", "Echo", calls: 7);

        var report = silo.Sampler.Report("s1", Everything, []);

        Assert.Null(report.CallsPerSecond);
        Assert.Null(report.CpuPercent);
        Assert.Equal(7, report.Calls);
        Assert.Empty(report.Series);

        // The first request's own reading, a moment ago, is no window: one call in a millisecond is not 1,000 calls/s.
        silo.Sampler.Sample();
        silo.Time.Advance(TimeSpan.FromMilliseconds(1));
        silo.Set("echo", "Echo", calls: 8);
        Assert.Null(silo.Sampler.Report("s1", Everything, []).CallsPerSecond);
        silo.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, silo.Sampler.Report("s1", Everything, []).CallsPerSecond!.Value, 2);
    }

    [Fact]
    public void No_point_is_drawn_across_a_pause_in_sampling()
    {
        var silo = new FakeStatistics();
        silo.Set("echo", "Echo", calls: 0);
        silo.Sampler.Sample();
        silo.Set("echo", "Echo", calls: 600);
        silo.Tick(TimeSpan.FromMinutes(1));
        Assert.Empty(silo.Sampler.Report("s1", Everything, []).Series);

        silo.Set("echo", "Echo", calls: 610);
        silo.Tick();
        Assert.Equal(10, Assert.Single(silo.Sampler.Report("s1", Everything, []).Series).CallsPerSecond);
    }

    [Fact]
    public void History_is_a_bounded_ring_and_series_since_sends_only_newer_points()
    {
        var silo = new FakeStatistics(new DashboardOptions { History = TimeSpan.FromSeconds(5) });
        silo.Set("echo", "Echo", calls: 0);
        silo.Sampler.Sample();
        for (var i = 1; i <= 8; i++)
        {
            silo.Set("echo", "Echo", calls: i);
            silo.Tick();
        }

        var all = silo.Sampler.Report("s1", Everything, []).Series;
        Assert.Equal(5, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.At < p.Second.At));

        var newer = silo.Sampler.Report("s1", Everything with { SeriesSince = all[2].At }, []).Series;
        Assert.Equal(all.Skip(3), newer);
    }

    [Fact]
    public void Cpu_is_process_time_over_wall_time_of_all_cores()
    {
        var silo = new FakeStatistics();
        silo.Sampler.Sample();
        silo.Process = silo.Process with { CpuTime = TimeSpan.FromSeconds(0.5 * Environment.ProcessorCount) };
        silo.Tick();

        Assert.Equal(50, Assert.Single(silo.Sampler.Report("s1", Everything, []).Series).CpuPercent);
    }

    [Fact]
    public void The_dashboards_own_calls_are_left_out()
    {
        var silo = new FakeStatistics();
        silo.Set("silostatistics", "GetReport", calls: 40);
        silo.Set("echo", "Echo", calls: 3);

        var report = silo.Sampler.Report("s1", Everything, []);

        Assert.Equal("echo", Assert.Single(report.GrainTypes).GrainType);
        Assert.Equal(3, report.Calls);
    }

    [Fact]
    public async Task Sampling_runs_only_while_someone_watches()
    {
        var silo = new FakeStatistics(new DashboardOptions { WatchTimeout = TimeSpan.FromSeconds(3) });
        silo.Set("echo", "Echo", calls: 0);
        Assert.False(silo.Sampler.IsSampling);

        var timerCreated = silo.Time.TimerCreated;
        silo.Sampler.Touch();
        Assert.True(silo.Sampler.IsSampling);
        await timerCreated;
        for (var expected = 1; expected <= 2; expected++)
        {
            silo.Time.Advance(TimeSpan.FromSeconds(1));
            await Poll.UntilAsync(() => silo.Sampler.HistoryCount == expected, $"{expected} points are sampled");
        }

        // Nobody asks again: past the watch timeout the loop ends on its next tick, and the clock moving on adds nothing.
        silo.Time.Advance(TimeSpan.FromSeconds(4));
        await Poll.UntilAsync(() => !silo.Sampler.IsSampling, "sampling stops");
        var held = silo.Sampler.HistoryCount;
        silo.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(held, silo.Sampler.HistoryCount);

        silo.Sampler.Touch();
        Assert.True(silo.Sampler.IsSampling);
        silo.Sampler.Dispose();
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new FakeStatistics(new DashboardOptions { RateWindow = TimeSpan.FromMilliseconds(100) }));
        Assert.Equal("Dashboard:RateWindow is 00:00:00.1000000; it must span at least one sample interval (00:00:01).", error.Message);
        Assert.Contains("Dashboard:SampleInterval", Assert.Throws<InvalidOperationException>(() => new DashboardOptions { SampleInterval = TimeSpan.Zero }.Validate()).Message);
    }
}
