using Lineage.Runtime.Activation;
using Lineage.Runtime.Persistence.Edges;
using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Hosting;

/// <summary>Registers the PostgreSQL <see cref="IEdgeStore"/> on a silo.</summary>
public static class PostgresEdgeStoreExtensions
{
    /// <summary>Adds the silo's <see cref="IEdgeStore"/>, kept in the database of the PostgreSQL grain storage named
    /// <paramref name="storageName"/>: it starts from a copy of that storage's <see cref="PostgresGrainStorageOptions"/>, which
    /// <paramref name="configure"/> may then adjust (e.g. another connection string, or a batch size of its own).</summary>
    /// <remarks>The store is connected to and its table migrated when the host starts, so an unreachable database fails start-up; the
    /// container disposes it at shutdown, after the silo has deactivated its grains, which commits every queued append.</remarks>
    public static SiloBuilder AddPostgresEdgeStore(
        this SiloBuilder builder, string storageName = LocalGrainRuntime.DefaultStorageName, Action<PostgresGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);
        var services = builder.Services;
        services.AddOptions<PostgresGrainStorageOptions>(storageName);
        services.TryAddSingleton<IEdgeStore>(provider =>
        {
            var shared = provider.GetRequiredService<IOptionsMonitor<PostgresGrainStorageOptions>>().Get(storageName);
            var options = new PostgresGrainStorageOptions
            {
                ConnectionString = shared.ConnectionString,
                MaxBatchSize = shared.MaxBatchSize,
                CommitDelay = shared.CommitDelay,
            };
            configure?.Invoke(options);
            return new PostgresEdgeStore(
                storageName,
                options,
                provider.GetService<ILoggerFactory>()?.CreateLogger<PostgresEdgeStore>(),
                provider.GetService<TimeProvider>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EdgeStoreStartup>());
        return builder;
    }
}
