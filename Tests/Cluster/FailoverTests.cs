using Lineage.Runtime;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Tests.Cluster.Grains;
using Lineage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lineage.Tests.Cluster;

/// <summary>Runs on every database the cluster supports; see <see cref="FailoverTestsOnSqlite"/> and <see cref="FailoverTestsOnPostgres"/>.</summary>
public abstract class FailoverTests
{
    /// <summary>Starts <paramref name="silos"/> silos on this class's database.</summary>
    protected abstract Task<TestCluster> StartClusterAsync(int silos, Action<ClusterOptions>? configure = null);

    [Fact]
    public async Task A_crashed_silos_grains_answer_from_survivors_with_their_last_acknowledged_state()
    {
        await using var cluster = await StartClusterAsync(3);
        var client = await cluster.ConnectClientAsync();
        var victim = cluster.Silos[2];
        var acknowledged = new Dictionary<string, long>();
        for (var i = 0; i < 60; i++)
        {
            var key = "crash-" + i;
            for (var n = 0; n < 1 + (i % 3); n++)
            {
                acknowledged[key] = await client.GetGrain<ITallyGrain>(key).Increment();
            }
        }

        var onVictim = acknowledged.Keys.Where(k => victim.OwnerOf(client.GetGrain<ITallyGrain>(k).GetGrainId()) == victim.Address).ToList();
        Assert.NotEmpty(onVictim);

        await victim.CrashAsync();

        // The survivors notice by probes, declare it dead and take over its share of the ring.
        var survivors = cluster.Silos;
        await Poll.UntilAsync(
            () => survivors.All(s => !s.ActiveSilos.Contains(victim.Address)),
            "both survivors have removed the crashed silo from their view");
        var entry = survivors[0].Cluster.Membership.View.Snapshot.Entries.Single(e => e.Silo == victim.Address);
        Assert.Equal(SiloStatus.Dead, entry.Status);
        Assert.NotEmpty(entry.Suspicions);

        foreach (var key in onVictim)
        {
            var grain = survivors[0].GrainFactory.GetGrain<ITallyGrain>(key);
            Assert.Equal(acknowledged[key], await grain.Get());
            Assert.NotEqual(victim.Address.ToString(), await grain.WhereAmI());
        }

        foreach (var (key, value) in acknowledged)
        {
            Assert.Equal(value, await survivors[1].GrainFactory.GetGrain<ITallyGrain>(key).Get());
        }
    }

    [Fact]
    public async Task A_joining_silo_takes_over_part_of_the_ring_without_losing_an_acknowledged_write()
    {
        await using var cluster = await StartClusterAsync(2);
        var client = await cluster.ConnectClientAsync();
        var keys = Enumerable.Range(0, 40).Select(i => "join-" + i).ToArray();
        var acknowledged = keys.ToDictionary(k => k, _ => 0L);
        var attempted = keys.ToDictionary(k => k, _ => 0L);
        using var stop = new CancellationTokenSource();

        // Writers keep incrementing through the join; each counts what was acknowledged and what was merely attempted.
        var writers = keys.Select(key => Task.Run(async () =>
        {
            var grain = client.GetGrain<ITallyGrain>(key);
            while (!stop.IsCancellationRequested)
            {
                attempted[key]++;
                try
                {
                    await grain.Increment();
                    acknowledged[key]++;
                }
                catch (Exception exception) when (exception is SiloUnavailableException or Lineage.Runtime.Persistence.InconsistentStateException)
                {
                    // Refused during the hand-off; the writer tries again. Refused writes are not acknowledged.
                }
            }
        })).ToList();

        await Poll.UntilAsync(() => acknowledged.Values.All(v => v >= 3), "every grain took a few writes before the join");
        var joined = await cluster.StartSiloAsync();
        await Poll.UntilAsync(() => joined.ActivationCount > 0, "the new silo activated some of the grains");
        var before = keys.ToDictionary(k => k, k => acknowledged[k]);
        await Poll.UntilAsync(() => keys.All(k => acknowledged[k] >= before[k] + 3), "every grain took more writes after the join");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var moved = 0;
        foreach (var key in keys)
        {
            var grain = joined.GrainFactory.GetGrain<ITallyGrain>(key);
            var value = await grain.Get();
            Assert.InRange(value, acknowledged[key], attempted[key]);
            if (await grain.WhereAmI() == joined.Address.ToString())
            {
                moved++;
            }
        }

        Assert.InRange(moved, 1, keys.Length - 1);
    }

    [Fact]
    public async Task Graceful_shutdown_hands_grains_off_and_marks_the_silo_dead()
    {
        await using var cluster = await StartClusterAsync(3);
        var leaving = cluster.Silos[1];
        var factory = cluster.Silos[0].GrainFactory;
        var keys = Enumerable.Range(0, 60).Select(i => "leave-" + i).ToList();
        foreach (var key in keys)
        {
            await factory.GetGrain<ITallyGrain>(key).Increment();
            await factory.GetGrain<ITallyGrain>(key).Increment();
        }

        var wereOnLeaving = keys.Where(k => leaving.OwnerOf(factory.GetGrain<ITallyGrain>(k).GetGrainId()) == leaving.Address).ToList();
        Assert.NotEmpty(wereOnLeaving);
        Assert.True(leaving.ActivationCount > 0);

        await leaving.StopAsync();

        Assert.Equal(0, leaving.ActivationCount);
        var survivor = cluster.Silos[0];
        await survivor.Cluster.Membership.RefreshAsync(CancellationToken.None);
        var entry = survivor.Cluster.Membership.View.Snapshot.Entries.Single(e => e.Silo == leaving.Address);
        Assert.Equal(SiloStatus.Dead, entry.Status);

        // Left cleanly: nobody had to suspect it, and its grains answer at once from the others with their state.
        Assert.Empty(entry.Suspicions);
        foreach (var key in keys)
        {
            Assert.Equal(2, await factory.GetGrain<ITallyGrain>(key).Get());
        }

        foreach (var key in wereOnLeaving)
        {
            Assert.NotEqual(leaving.Address.ToString(), await factory.GetGrain<ITallyGrain>(key).WhereAmI());
        }
    }

    [Fact]
    public async Task A_silo_that_reads_itself_declared_dead_gives_up_its_grains_and_stops_its_host()
    {
        await using var cluster = await StartClusterAsync(2);
        var (doomed, survivor) = (cluster.Silos[0], cluster.Silos[1]);
        var keys = Enumerable.Range(0, 30).Select(i => "doomed-" + i).ToList();
        foreach (var key in keys)
        {
            await survivor.GrainFactory.GetGrain<ITallyGrain>(key).Increment();
        }

        Assert.True(doomed.ActivationCount > 0);
        var lifetime = doomed.Services.GetRequiredService<IHostApplicationLifetime>();

        // What the others write when they agree it is unreachable (a long pause, a network partition), written here directly.
        var table = survivor.Services.GetRequiredService<IMembershipTable>();
        var snapshot = await table.ReadAllAsync(TestContext.Current.CancellationToken);
        var entry = snapshot.Entries.Single(e => e.Silo == doomed.Address);
        Assert.True(await table.TryWriteAsync(entry with { Status = SiloStatus.Dead }, snapshot.Version, TestContext.Current.CancellationToken));

        await Poll.UntilAsync(() => lifetime.ApplicationStopping.IsCancellationRequested, "the declared-dead silo asked its host to stop");
        await Poll.UntilAsync(() => doomed.ActivationCount == 0, "the declared-dead silo deactivated every grain");
        await Poll.UntilAsync(() => survivor.ActiveSilos.SequenceEqual([survivor.Address]), "the survivor owns the whole ring");
        foreach (var key in keys)
        {
            Assert.Equal(2, await survivor.GrainFactory.GetGrain<ITallyGrain>(key).Increment());
            Assert.Equal(survivor.Address.ToString(), await survivor.GrainFactory.GetGrain<ITallyGrain>(key).WhereAmI());
        }
    }

    [Fact]
    public async Task A_silo_restarting_after_a_crash_declares_its_unreachable_predecessor_dead_before_it_serves()
    {
        // Probes so slow that only the joining silo's own check can explain the predecessor's death.
        await using var cluster = await StartClusterAsync(1, o => o.ProbePeriod = TimeSpan.FromHours(1));
        var first = cluster.Silos[0];
        Assert.Equal(1, await first.GrainFactory.GetGrain<ITallyGrain>("restart").Increment());
        await first.CrashAsync();

        var second = await cluster.StartSiloAsync();

        var entry = second.Cluster.Membership.View.Snapshot.Entries.Single(e => e.Silo == first.Address);
        Assert.Equal(SiloStatus.Dead, entry.Status);
        Assert.Contains(entry.Suspicions, s => s.Suspecter == second.Address);
        Assert.Equal(2, await second.GrainFactory.GetGrain<ITallyGrain>("restart").Increment());
    }
}
