using Lineage.Runtime.Activation;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Hosting;

/// <summary>Makes a silo a member of a cluster.</summary>
public static class ClusterSiloExtensions
{
    /// <summary>Joins the cluster described by <see cref="ClusterOptions"/> (bound by the host, then <paramref name="configure"/>).
    /// A membership table must also be registered (<c>UseSqliteMembership</c> or <c>UsePostgresMembership</c>), and every silo needs
    /// grain storage that all of them share, since a grain may re-activate on any silo.</summary>
    public static SiloBuilder UseCluster(this SiloBuilder builder, Action<ClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ClusterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton(sp => new SiloCluster(
            sp.GetRequiredService<LocalGrainRuntime>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp.GetService<IMembershipTable>() ?? throw new InvalidOperationException(
                "The silo is configured as a cluster member but no membership table is registered; call UseSqliteMembership(...) or UsePostgresMembership(...)."),
            sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<ILocalSiloDetails>(sp => sp.GetRequiredService<SiloCluster>());
        builder.Services.AddHostedService<ClusterHostedService>();
        return builder;
    }
}

/// <summary>Joins the cluster when the host starts and leaves it cleanly when the host stops; stops the host if the cluster
/// declares this silo dead.</summary>
/// <remarks>Registered after the silo's own hosted service, so it stops first: the silo leaves the ring and hands off its grains
/// while the runtime's timeouts still run.</remarks>
internal sealed class ClusterHostedService(SiloCluster cluster, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        cluster.DeclaredDead += lifetime.StopApplication;
        await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => cluster.StopAsync(cancellationToken);
}
