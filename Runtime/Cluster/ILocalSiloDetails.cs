using Lineage.Runtime.Cluster.Membership;

namespace Lineage.Runtime.Cluster;

/// <summary>This silo's identity in its cluster, for grains and services that want to say where they run.</summary>
public interface ILocalSiloDetails
{
    /// <summary>The cluster's name.</summary>
    string ClusterId { get; }

    /// <summary>This silo's address and generation.</summary>
    SiloAddress SiloAddress { get; }
}
