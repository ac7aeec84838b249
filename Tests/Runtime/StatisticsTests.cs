using Lineage.Runtime.Statistics;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Runtime;

public sealed class StatisticsTests
{
    [Fact]
    public async Task Calls_errors_and_activations_are_counted_per_grain_type_and_method()
    {
        await using var silo = await TestSilo.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            await silo.GrainFactory.GetGrain<IFaultyGrain>($"s{i % 2}").Succeed(i);
        }

        await Assert.ThrowsAsync<ProbeException>(() => silo.GrainFactory.GetGrain<IFaultyGrain>("s0").Throw("counted"));

        var snapshot = silo.Services.GetRequiredService<SiloStatistics>().Snapshot();
        var faulty = Assert.Single(snapshot.GrainTypes, g => g.GrainType == "faulty");
        Assert.Equal(2, faulty.Activations);
        var succeed = Assert.Single(faulty.Methods, m => m.Method == "Succeed");
        Assert.Equal(10, succeed.Calls);
        Assert.Equal(0, succeed.Errors);
        Assert.Equal(10, succeed.LatencyMicroseconds.Histogram.Sum());
        var thrown = Assert.Single(faulty.Methods, m => m.Method == "Throw");
        Assert.Equal(1, thrown.Calls);
        Assert.Equal(1, thrown.Errors);
        Assert.Equal(typeof(IFaultyGrain).FullName, thrown.Interface);
    }

    [Fact]
    public async Task Uptime_counts_from_silo_start_not_from_the_first_statistics_request()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(timeProvider: time);
        time.Advance(TimeSpan.FromMinutes(5));

        var snapshot = silo.Services.GetRequiredService<SiloStatistics>().Snapshot();

        Assert.Equal(TimeSpan.FromMinutes(5), snapshot.Timestamp - snapshot.StartedAt);
    }

    [Fact]
    public void Percentiles_interpolate_within_power_of_two_buckets()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 90; i++)
        {
            histogram.Record(3); // bucket [2, 4)
        }

        for (var i = 0; i < 10; i++)
        {
            histogram.Record(1000); // bucket [512, 1024)
        }

        var buckets = histogram.Snapshot();
        Assert.Equal(90, buckets[2]);
        Assert.Equal(10, buckets[10]);
        Assert.InRange(LatencyHistogram.Percentile(buckets, 0.5), 2, 4);
        Assert.InRange(LatencyHistogram.Percentile(buckets, 0.99), 512, 1024);
        Assert.Equal(0, LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.5));
    }

    [Fact]
    public void Durations_beyond_the_last_bucket_are_kept_in_it()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(long.MaxValue);
        histogram.Record(0);

        var buckets = histogram.Snapshot();
        Assert.Equal(1, buckets[^1]);
        Assert.Equal(1, buckets[0]);
    }
}
