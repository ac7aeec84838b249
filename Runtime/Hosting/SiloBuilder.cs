using System.Reflection;
using Lineage.Runtime.Activation;
using Lineage.Runtime.Filters;
using Lineage.Runtime.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Lineage.Runtime.Hosting;

/// <summary>Configures a silo: its grain assemblies, options, call filters and storage providers.</summary>
public sealed class SiloBuilder
{
    private readonly HashSet<Assembly> _assemblies = [];

    internal SiloBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The host's services, for storage providers and other extensions.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyCollection<Assembly> Assemblies => _assemblies;

    /// <summary>Registers the grains of <paramref name="assembly"/> and of the assemblies it references.</summary>
    public SiloBuilder AddGrainAssembly(Assembly assembly)
    {
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>Adjusts <see cref="SiloOptions"/>.</summary>
    public SiloBuilder Configure(Action<SiloOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Adds a filter that runs around every call a grain in this silo receives.</summary>
    public SiloBuilder AddIncomingGrainCallFilter<TFilter>() where TFilter : class, IIncomingGrainCallFilter
    {
        Services.AddSingleton<IIncomingGrainCallFilter, TFilter>();
        return this;
    }

    /// <summary>Adds a filter that runs around every grain call made from this silo.</summary>
    public SiloBuilder AddOutgoingGrainCallFilter<TFilter>() where TFilter : class, IOutgoingGrainCallFilter
    {
        Services.AddSingleton<IOutgoingGrainCallFilter, TFilter>();
        return this;
    }
}

/// <summary>Adds the Lineage silo runtime to a host.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>Adds the silo runtime; grains become callable once the host has started.</summary>
    public static IServiceCollection AddLineageSilo(this IServiceCollection services, Action<SiloBuilder> configure)
    {
        var builder = new SiloBuilder(services);
        configure(builder);
        if (builder.Assemblies.Count == 0 && Assembly.GetEntryAssembly() is { } entry)
        {
            builder.AddGrainAssembly(entry);
        }

        services.AddOptions<SiloOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new GrainTypeRegistry(builder.Assemblies));
        services.AddSingleton<LocalGrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<LocalGrainRuntime>().Factory);
        services.AddSingleton(sp => new SiloStatistics(sp.GetRequiredService<LocalGrainRuntime>()));
        services.AddHostedService<SiloHostedService>();
        return services;
    }
}
