using Lineage.Runtime.Activation;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Hosting;

/// <summary>Registers <see cref="PostgresGrainStorage"/> providers on a silo.</summary>
public static class PostgresGrainStorageExtensions
{
    /// <summary>Adds a PostgreSQL grain storage provider named <paramref name="name"/>, resolved by grains as the keyed
    /// <see cref="IGrainStorage"/> of that name.</summary>
    /// <remarks>Options are the named <see cref="PostgresGrainStorageOptions"/> of <paramref name="name"/>: the host may bind them from
    /// configuration (e.g. section <see cref="PostgresGrainStorageOptions.SectionName"/>) and <paramref name="configure"/> runs after.
    /// The database is connected to and migrated when the host starts, so an unreachable one fails start-up, and the container
    /// disposes the storage at shutdown (after the silo has deactivated its grains), which commits every queued write.</remarks>
    public static SiloBuilder AddPostgresGrainStorage(this SiloBuilder builder, string name = LocalGrainRuntime.DefaultStorageName, Action<PostgresGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var options = services.AddOptions<PostgresGrainStorageOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddKeyedSingleton<IGrainStorage>(name, static (provider, key) =>
        {
            var storageName = (string)key!;
            return new PostgresGrainStorage(
                storageName,
                provider.GetRequiredService<IOptionsMonitor<PostgresGrainStorageOptions>>().Get(storageName),
                provider.GetService<ILoggerFactory>()?.CreateLogger<PostgresGrainStorage>(),
                provider.GetService<TimeProvider>());
        });
        services.AddSingleton(new GrainStorageRegistration(name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GrainStorageStartup>());
        return builder;
    }
}
