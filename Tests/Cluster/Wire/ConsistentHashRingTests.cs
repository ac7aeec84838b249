using Lineage.Runtime;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Cluster.Placement;

namespace Lineage.Tests.Cluster.Wire;

public sealed class ConsistentHashRingTests
{
    private static readonly SiloAddress[] Silos = [.. Enumerable.Range(0, 5).Select(i => new SiloAddress("127.0.0.1", 11111 + i, 1_700_000_000_000 + i))];

    private static readonly GrainId[] Grains = [.. Enumerable.Range(0, 20_000).Select(i => GrainId.Create("post", i))];

    [Fact]
    public void Every_silo_computes_the_same_owner_whatever_order_it_learned_the_members_in()
    {
        var ring = new ConsistentHashRing(Silos);
        var shuffled = new ConsistentHashRing(Silos.Reverse().Skip(2).Concat(Silos.Reverse().Take(2)));
        Assert.All(Grains, g => Assert.Equal(ring.GetOwner(g), shuffled.GetOwner(g)));
    }

    [Fact]
    public void An_empty_ring_owns_nothing()
    {
        Assert.Null(new ConsistentHashRing([]).GetOwner(Grains[0]));
    }

    [Fact]
    public void Grains_spread_over_all_silos_within_a_reasonable_band()
    {
        var ring = new ConsistentHashRing(Silos);
        var shares = Grains.GroupBy(g => ring.GetOwner(g)!).ToDictionary(g => g.Key, g => g.Count() / (double)Grains.Length);
        Assert.Equal(Silos.Length, shares.Count);

        // 64 virtual nodes per silo keep each share near 1/5; the band is wide enough never to be flaky for fixed inputs.
        Assert.All(shares.Values, share => Assert.InRange(share, 0.12, 0.28));
    }

    [Fact]
    public void A_joining_silo_takes_grains_only_from_others_and_about_its_fair_share()
    {
        var before = new ConsistentHashRing(Silos[..4]);
        var after = new ConsistentHashRing(Silos);
        var moved = Grains.Where(g => before.GetOwner(g) != after.GetOwner(g)).ToList();

        Assert.All(moved, g => Assert.Equal(Silos[4], after.GetOwner(g)));
        Assert.InRange(moved.Count / (double)Grains.Length, 0.12, 0.28);
    }

    [Fact]
    public void A_leaving_silo_hands_over_only_its_own_grains()
    {
        var before = new ConsistentHashRing(Silos);
        var after = new ConsistentHashRing(Silos.Where(s => s != Silos[2]));
        Assert.All(Grains.Where(g => before.GetOwner(g) != after.GetOwner(g)), g => Assert.Equal(Silos[2], before.GetOwner(g)));
    }

    [Fact]
    public void A_restarted_silo_is_a_new_member_with_its_own_place_on_the_ring()
    {
        var restarted = Silos[0] with { Generation = Silos[0].Generation + 60_000 };
        var before = new ConsistentHashRing(Silos);
        var after = new ConsistentHashRing(Silos.Skip(1).Append(restarted));
        Assert.Contains(Grains, g => before.GetOwner(g) != after.GetOwner(g));
    }
}
