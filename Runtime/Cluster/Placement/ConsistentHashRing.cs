using Lineage.Runtime.Cluster.Membership;

namespace Lineage.Runtime.Cluster.Placement;

/// <summary>Maps grains to silos with a consistent hash ring: each silo holds <see cref="VirtualNodesPerSilo"/> points; a grain
/// belongs to the first point at or after its hash.</summary>
/// <remarks>When a silo joins or leaves, only the grains between its points and their predecessors move, about 1/N of them, and
/// every silo with the same view computes the same owner without talking to the others.</remarks>
internal sealed class ConsistentHashRing
{
    /// <summary>Points per silo; 64 keeps the largest silo's share within about 20% of the mean for small clusters.</summary>
    public const int VirtualNodesPerSilo = 64;

    private readonly ulong[] _points;
    private readonly SiloAddress[] _owners;

    public ConsistentHashRing(IEnumerable<SiloAddress> silos)
    {
        var points = new List<(ulong Point, SiloAddress Silo)>();
        foreach (var silo in silos.Distinct())
        {
            var name = silo.ToString();
            for (var i = 0; i < VirtualNodesPerSilo; i++)
            {
                points.Add((StableHash.Hash64(name, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), silo));
            }
        }

        // Ties between silos (vanishingly rare) are broken by address so every silo builds the same ring.
        points.Sort(static (a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : SiloAddress.Order.Compare(a.Silo, b.Silo));
        _points = [.. points.Select(p => p.Point)];
        _owners = [.. points.Select(p => p.Silo)];
        Silos = [.. points.Select(p => p.Silo).Distinct().Order(SiloAddress.Order)];
    }

    /// <summary>The silos on the ring, in address order.</summary>
    public IReadOnlyList<SiloAddress> Silos { get; }

    /// <summary>The silo that owns <paramref name="grainId"/>, or null when the ring is empty.</summary>
    public SiloAddress? GetOwner(GrainId grainId)
    {
        if (_points.Length == 0)
        {
            return null;
        }

        var hash = StableHash.Hash64(grainId.Type, grainId.Key);
        var index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }
}
