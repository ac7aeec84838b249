using Lineage.Runtime;
using Lineage.Tests.Cluster.Grains;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Cluster;

/// <summary>Runs on every database the cluster supports; see <see cref="PlacementTestsOnSqlite"/> and <see cref="PlacementTestsOnPostgres"/>.</summary>
public abstract class PlacementTests
{
    /// <summary>Starts <paramref name="silos"/> silos on this class's database.</summary>
    protected abstract Task<TestCluster> StartClusterAsync(int silos);

    [Fact]
    public async Task Calls_from_every_silo_and_from_a_client_reach_the_grains_owner()
    {
        await using var cluster = await StartClusterAsync(3);
        var client = await cluster.ConnectClientAsync();
        var silos = cluster.Silos;
        var ownersSeen = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            var key = "placement-" + i;
            var expected = silos[0].OwnerOf(silos[0].GrainFactory.GetGrain<ITallyGrain>(key).GetGrainId())!.ToString();
            ownersSeen.Add(expected);
            foreach (var silo in silos)
            {
                Assert.Equal(expected, await silo.GrainFactory.GetGrain<ITallyGrain>(key).WhereAmI());
            }

            Assert.Equal(expected, await client.GetGrain<ITallyGrain>(key).WhereAmI());
        }

        // Sixty keys over a 3-silo ring land on every silo: placement spreads, it does not pin everything to one.
        Assert.Equal(3, ownersSeen.Count);
    }

    [Fact]
    public async Task Concurrent_first_calls_from_all_silos_make_one_activation()
    {
        await using var cluster = await StartClusterAsync(3);
        var client = await cluster.ConnectClientAsync();
        for (var round = 0; round < 5; round++)
        {
            var key = "single-" + round;
            var calls = cluster.Silos
                .SelectMany(s => Enumerable.Range(0, 20).Select(_ => s.GrainFactory.GetGrain<ITallyGrain>(key)))
                .Append(client.GetGrain<ITallyGrain>(key))
                .Select(g => Task.Run(() => g.ActivationId()))
                .ToList();
            var ids = await Task.WhenAll(calls);
            Assert.Single(ids.Distinct());
            var id = client.GetGrain<ITallyGrain>(key).GetGrainId();
            Assert.Equal(1, cluster.Silos.Sum(s => s.Runtime.Catalog.TryGet(id, out _) ? 1 : 0));
        }
    }

    [Fact]
    public async Task Grain_code_calls_grains_on_other_silos_and_state_arguments_cross_as_references()
    {
        await using var cluster = await StartClusterAsync(2);
        var factory = cluster.Silos[0].GrainFactory;

        // Pick two grains owned by different silos, so the call from one to the other crosses a connection.
        var keys = Enumerable.Range(0, 100).Select(i => "cross-" + i).ToList();
        var first = keys.First(k => cluster.Silos[0].OwnerOf(factory.GetGrain<ITallyGrain>(k).GetGrainId()) == cluster.Silos[0].Address);
        var second = keys.First(k => cluster.Silos[0].OwnerOf(factory.GetGrain<ITallyGrain>(k).GetGrainId()) == cluster.Silos[1].Address);
        var target = factory.GetGrain<ITallyGrain>(second);
        Assert.Equal(1, await factory.GetGrain<ITallyGrain>(first).IncrementOther(target));
        Assert.Equal(2, await cluster.Silos[1].GrainFactory.GetGrain<ITallyGrain>(first).IncrementOther(target));
        Assert.Equal(2, await target.Get());
    }
}
