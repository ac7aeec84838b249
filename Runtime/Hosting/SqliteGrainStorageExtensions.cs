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
        return builder.AddGrainStorage<SqliteGrainStorageOptions>(name, configure, static (provider, storageName, options) => new SqliteGrainStorage(
            storageName, options, provider.GetService<ILoggerFactory>()?.CreateLogger<SqliteGrainStorage>(), provider.GetService<TimeProvider>()));
    }

    /// <summary>Registers a storage provider as the keyed <see cref="IGrainStorage"/> <paramref name="name"/>, built from the named
    /// <typeparamref name="TOptions"/> of that name and opened when the host starts; shared by every provider's <c>Add...</c> method.</summary>
    internal static SiloBuilder AddGrainStorage<TOptions>(
        this SiloBuilder builder, string name, Action<TOptions>? configure, Func<IServiceProvider, string, TOptions, IGrainStorage> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var options = services.AddOptions<TOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddKeyedSingleton<IGrainStorage>(name, (provider, key) =>
        {
            var storageName = (string)key!;
            return create(provider, storageName, provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(storageName));
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
