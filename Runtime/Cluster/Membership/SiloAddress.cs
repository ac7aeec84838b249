using System.Globalization;

namespace Lineage.Runtime.Cluster.Membership;

/// <summary>A silo's identity: where it listens for silo-to-silo messages, and the generation that tells restarts apart.</summary>
/// <remarks>A restarted silo on the same endpoint gets a new generation (its start time in milliseconds since the epoch), so it is a
/// new member; a dead identity never returns.</remarks>
public sealed record SiloAddress(string Host, int Port, long Generation)
{
    /// <summary>The endpoint as "host:port".</summary>
    public string Endpoint => Host + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Orders by host, port, then generation, so that every silo sorts a view the same way.</summary>
    public static IComparer<SiloAddress> Order { get; } = Comparer<SiloAddress>.Create(static (x, y) =>
    {
        var byHost = string.CompareOrdinal(x.Host, y.Host);
        if (byHost != 0)
        {
            return byHost;
        }

        var byPort = x.Port.CompareTo(y.Port);
        return byPort != 0 ? byPort : x.Generation.CompareTo(y.Generation);
    });

    /// <summary>Parses the "host:port@generation" form written by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">The text is not in that form.</exception>
    public static SiloAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        var colon = at > 0 ? text.LastIndexOf(':', at - 1) : -1;
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            throw new FormatException($"'{text}' is not a silo address; expected host:port@generation, e.g. 127.0.0.1:11111@1763900000000.");
        }

        return new SiloAddress(text[..colon], port, generation);
    }

    /// <inheritdoc />
    public override string ToString() => Endpoint + "@" + Generation.ToString(CultureInfo.InvariantCulture);
}
