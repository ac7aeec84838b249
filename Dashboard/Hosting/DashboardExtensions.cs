using Lineage.Dashboard.Api;
using Lineage.Dashboard.Cluster;
using Lineage.Dashboard.Logging;
using Lineage.Dashboard.Sampling;
using Lineage.Dashboard.Security;
using Lineage.Runtime.Hosting;
using Lineage.Runtime.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Lineage.Dashboard.Hosting;

/// <summary>Adds the operators' dashboard to a silo.</summary>
public static class DashboardExtensions
{
    /// <summary>Registers the statistics grain, the sampler, the log tail, the intake counters and the operator policy; options bind
    /// from the <c>Dashboard</c> section of <paramref name="configuration"/> when given.</summary>
    public static SiloBuilder AddLineageDashboard(this SiloBuilder silo, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddGrainAssembly(typeof(DashboardExtensions).Assembly);
        var services = silo.Services;
        var options = services.AddOptions<DashboardOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(DashboardOptions.SectionName));
        }

        services.TryAddSingleton<IntakeStatistics>();
        services.TryAddSingleton<StatisticsSampler>();
        services.TryAddSingleton<ClusterCollector>();
        services.TryAddSingleton<DashboardAssets>();
        services.TryAddSingleton<LogTail>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, LogTail>(sp => sp.GetRequiredService<LogTail>()));

        // Admits everyone for now: the listener is bound to 127.0.0.1. Once authentication exists, replace the policy under the same
        // name (see README, "Dashboard") and every dashboard endpoint follows.
        services.AddAuthorizationBuilder().AddPolicy(LineagePolicies.Operator, policy => policy.RequireAssertion(static _ => true));
        return silo;
    }

    /// <summary>Maps /dashboard, /api/dashboard/... and /metrics, all requiring <see cref="LineagePolicies.Operator"/>.</summary>
    public static IEndpointConventionBuilder MapLineageDashboard(this IEndpointRouteBuilder endpoints) => DashboardEndpoints.Map(endpoints);
}
