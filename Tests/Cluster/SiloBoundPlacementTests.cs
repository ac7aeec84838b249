using Lineage.Runtime;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Tests.Cluster.Grains;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Cluster;

public sealed class SiloBoundPlacementTests
{
    [Fact]
    public async Task A_silo_bound_grain_runs_on_the_silo_its_key_names_whoever_calls()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var client = await cluster.ConnectClientAsync();
        foreach (var target in cluster.Silos)
        {
            var key = target.Address.ToString();
            foreach (var caller in cluster.Silos)
            {
                Assert.Equal(key, await caller.GrainFactory.GetGrain<ISiloProbeGrain>(key).WhereAmI());
            }

            Assert.Equal(key, await client.GetGrain<ISiloProbeGrain>(key).WhereAmI());
        }
    }

    [Fact]
    public async Task A_silo_bound_grain_stays_put_when_a_silo_joins()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var first = cluster.Silos[0];
        var probe = first.GrainFactory.GetGrain<ISiloProbeGrain>(first.Address.ToString());
        await probe.WhereAmI();
        var before = first.ActivationCount;

        await cluster.StartSiloAsync();
        await cluster.WaitForConvergenceAsync();

        // The ring moved, but the ring does not own silo-bound grains: the activation was not handed off.
        Assert.Equal(before, first.ActivationCount);
        Assert.Equal(first.Address.ToString(), await probe.WhereAmI());
    }

    [Fact]
    public async Task Calling_a_silo_that_is_not_a_member_fails_with_the_reason()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var factory = cluster.Silos[0].GrainFactory;
        var gone = new SiloAddress("127.0.0.1", 1, 42);

        var notMember = await Assert.ThrowsAsync<SiloUnavailableException>(() => factory.GetGrain<ISiloProbeGrain>(gone.ToString()).WhereAmI());
        Assert.Contains("127.0.0.1:1@42 is not a live member", notMember.Message);

        var malformed = await Assert.ThrowsAsync<SiloUnavailableException>(() => factory.GetGrain<ISiloProbeGrain>("not-a-silo").WhereAmI());
        Assert.Contains("'not-a-silo' is not a silo address", malformed.Message);
    }
}
