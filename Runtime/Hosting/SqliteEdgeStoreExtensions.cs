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
    /// <paramref name="storageName"/>: it starts from a copy of that storage's <see cref="SqliteGrainStorageOptions"/>, which
    /// <paramref name="configure"/> may then adjust (e.g. another <see cref="SqliteGrainStorageOptions.FileName"/> to give the edges
    /// their own file and write lock).</summary>
    /// <remarks>The store is opened and its table migrated when the host starts, so a bad path fails start-up; the container disposes
    /// it at shutdown, after the silo has deactivated its grains, which commits every queued append.</remarks>
    public static SiloBuilder AddSqliteEdgeStore(
        this SiloBuilder builder, string storageName = LocalGrainRuntime.DefaultStorageName, Action<SqliteGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);
        var services = builder.Services;
        services.AddOptions<SqliteGrainStorageOptions>(storageName);
        services.TryAddSingleton<IEdgeStore>(provider =>
        {
            var shared = provider.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(storageName);
            var options = new SqliteGrainStorageOptions
            {
                DataDirectory = shared.DataDirectory,
                FileName = shared.FileName,
                Synchronous = shared.Synchronous,
                MaxBatchSize = shared.MaxBatchSize,
                CommitDelay = shared.CommitDelay,
                BusyTimeout = shared.BusyTimeout,
                WalAutoCheckpointPages = shared.WalAutoCheckpointPages,
            };
            configure?.Invoke(options);
            return new SqliteEdgeStore(
                storageName,
                options,
                provider.GetService<ILoggerFactory>()?.CreateLogger<SqliteEdgeStore>(),
                provider.GetService<TimeProvider>());
        });
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
