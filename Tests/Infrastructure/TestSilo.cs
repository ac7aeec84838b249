using Lineage.Runtime;
using Lineage.Runtime.Activation;
using Lineage.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lineage.Tests.Infrastructure;

/// <summary>An in-process silo with the test grains and SQLite storage in a data directory it can share with a successor.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory? _ownedDirectory;
    private bool _stopped;

    private TestSilo(IHost host, string dataDirectory, TempDirectory? ownedDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
        _ownedDirectory = ownedDirectory;
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    internal LocalGrainRuntime Runtime => _host.Services.GetRequiredService<LocalGrainRuntime>();

    public int ActivationCount => Runtime.Catalog.Count;

    /// <summary>Starts a silo; pass <paramref name="dataDirectory"/> to reopen a predecessor's data, else a fresh one is made and deleted on dispose.</summary>
    public static async Task<TestSilo> StartAsync(
        Action<SiloOptions>? configure = null,
        TimeProvider? timeProvider = null,
        string? dataDirectory = null,
        Action<SiloBuilder>? silo = null)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var directory = dataDirectory ?? owned!.Path;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddLineageSilo(s =>
        {
            s.AddGrainAssembly(typeof(TestSilo).Assembly);
            s.AddSqliteGrainStorage(configure: o => o.DataDirectory = directory);
            s.Configure(o => configure?.Invoke(o));
            silo?.Invoke(s);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, directory, owned);
    }

    /// <summary>Stops gracefully (grains deactivated, pending writes flushed) without deleting the data.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync();
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _ownedDirectory?.Dispose();
    }
}
