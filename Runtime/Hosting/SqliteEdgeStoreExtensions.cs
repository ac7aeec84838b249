using Lineage.Runtime.Activation;
using Lineage.Runtime.Persistence.Edges;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Hosting;

/// <summary>Registers the SQLite <see cref="IEdgeStore"/> on a silo.</summary>
public static class SqliteEdgeStoreExtensions
{
    /// <summary>Adds the silo's <see cref="IEdgeStore"/>, kept in the database file of the SQLite grain storage named
    /// <paramref name="storageName"/> (its named <see cref="SqliteGrainStorageOptions"/> are used as they are).</summary>
    /// <remarks>The store is opened and its table migrated when the host starts, so a bad path fails start-up; the container disposes
    /// it at shutdown, after the silo has deactivated its grains, which commits every queued append.</remarks>
    public static SiloBuilder AddSqliteEdgeStore(this SiloBuilder builder, string storageName = LocalGrainRuntime.DefaultStorageName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);
        var services = builder.Services;
        services.AddOptions<SqliteGrainStorageOptions>(storageName);
        services.TryAddSingleton<IEdgeStore>(provider => new SqliteEdgeStore(
            storageName,
            provider.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(storageName),
            provider.GetService<ILoggerFactory>()?.CreateLogger<SqliteEdgeStore>(),
            provider.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EdgeStoreStartup>());
        return builder;
    }
}

/// <summary>Opens the edge store when the host starts, so that a misconfigured one stops the host instead of failing the first grain
/// that needs it.</summary>
internal sealed class EdgeStoreStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<IEdgeStore>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
