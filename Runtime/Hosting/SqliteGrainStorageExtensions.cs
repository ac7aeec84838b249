using Lineage.Runtime.Activation;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Hosting;

/// <summary>Registers <see cref="SqliteGrainStorage"/> providers on a silo.</summary>
public static class SqliteGrainStorageExtensions
{
    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/>, resolved by grains as the keyed
    /// <see cref="IGrainStorage"/> of that name.</summary>
    /// <remarks>Options are the named <see cref="SqliteGrainStorageOptions"/> of <paramref name="name"/>: the host may bind them from
    /// configuration (e.g. section <see cref="SqliteGrainStorageOptions.SectionName"/>) and <paramref name="configure"/> runs after.
    /// The database is opened when the host starts, so a bad path fails start-up, and the container disposes the storage at shutdown
    /// (after the silo has deactivated its grains), which commits every queued write.</remarks>
    public static SiloBuilder AddSqliteGrainStorage(this SiloBuilder builder, string name = LocalGrainRuntime.DefaultStorageName, Action<SqliteGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var options = services.AddOptions<SqliteGrainStorageOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddKeyedSingleton<IGrainStorage>(name, static (provider, key) =>
        {
            var storageName = (string)key!;
            return new SqliteGrainStorage(
                storageName,
                provider.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(storageName),
                provider.GetService<ILoggerFactory>()?.CreateLogger<SqliteGrainStorage>(),
                provider.GetService<TimeProvider>());
        });
        services.AddSingleton(new GrainStorageRegistration(name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GrainStorageStartup>());
        return builder;
    }
}

/// <summary>Names a registered storage provider so that <see cref="GrainStorageStartup"/> can open it when the host starts.</summary>
internal sealed record GrainStorageRegistration(string Name);

/// <summary>Resolves every registered storage provider at host start, so that databases are opened and migrated before the first
/// grain activates and a misconfigured one stops the host instead of failing the first activation that needs it.</summary>
internal sealed class GrainStorageStartup(IServiceProvider services, IEnumerable<GrainStorageRegistration> registrations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in registrations.Select(r => r.Name).Distinct(StringComparer.Ordinal))
        {
            services.GetRequiredKeyedService<IGrainStorage>(name);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
