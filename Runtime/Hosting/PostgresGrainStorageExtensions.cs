using Lineage.Runtime.Activation;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        return builder.AddGrainStorage<PostgresGrainStorageOptions>(name, configure, static (provider, storageName, options) => new PostgresGrainStorage(
            storageName, options, provider.GetService<ILoggerFactory>()?.CreateLogger<PostgresGrainStorage>(), provider.GetService<TimeProvider>()));
    }
}
