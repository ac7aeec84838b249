using System.Reflection;

namespace Lineage.Runtime.Client;

/// <summary>How a <see cref="ClusterClient"/> finds and authenticates to the cluster.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>Silo endpoints ("host:port" of their silo port) to use as gateways, tried in order; at least one.</summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>Name of the cluster. Default "lineage".</summary>
    public string ClusterId { get; set; } = "lineage";

    /// <summary>The cluster's shared secret. Required.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>How long a call may take before the caller gets <see cref="GrainCallTimeoutException"/>. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting to one gateway may take before the next is tried. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Assemblies holding the grain classes (and so their interfaces) the client calls; the client needs the classes to know
    /// each interface's grain type. Default: the entry assembly and what it references.</summary>
    public IList<Assembly> GrainAssemblies { get; } = [];

    /// <summary>Throws if a setting is missing or out of range, naming it.</summary>
    public void Validate()
    {
        if (Gateways.Count == 0)
        {
            throw new InvalidOperationException("Cluster client options: Gateways must list at least one silo endpoint (host:port).");
        }

        foreach (var gateway in Gateways)
        {
            _ = ParseGateway(gateway);
        }

        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Cluster client options: RequestTimeout and ConnectTimeout must be positive.");
        }

        if (Secret.Length < 16)
        {
            throw new InvalidOperationException("Cluster client options: Secret must be the cluster's secret (at least 16 characters).");
        }
    }

    internal static (string Host, int Port) ParseGateway(string gateway)
    {
        var colon = gateway.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(gateway.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Cluster client options: gateway '{gateway}' is not host:port.");
        }

        return (gateway[..colon], port);
    }
}
