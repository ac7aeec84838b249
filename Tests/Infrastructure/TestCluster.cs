using Lineage.Runtime;
using Lineage.Runtime.Activation;
using Lineage.Runtime.Client;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lineage.Tests.Infrastructure;

/// <summary>Where a test cluster keeps its grain state and membership.</summary>
public enum ClusterStorage
{
    /// <summary>One SQLite file shared by all silos.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<see cref="TestCluster.StartAsync"/> gets its connection string).</summary>
    Postgres,
}

/// <summary>N in-process silos on loopback that form one cluster over real connections, sharing one database; silos can be added,
/// stopped gracefully or crashed.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>The cluster secret tests use.</summary>
    public const string Secret = "test-cluster-secret-0123456789";

    private readonly TempDirectory _directory = new();
    private readonly ClusterStorage _storage;
    private readonly string? _connectionString;
    private readonly Action<ClusterOptions>? _configure;
    private readonly Action<SiloBuilder>? _configureSilo;
    private readonly List<ClusterSilo> _silos = [];
    private readonly List<ClusterClient> _clients = [];

    private TestCluster(ClusterStorage storage, string? connectionString, Action<ClusterOptions>? configure, Action<SiloBuilder>? configureSilo)
    {
        _storage = storage;
        _connectionString = connectionString;
        _configure = configure;
        _configureSilo = configureSilo;
    }

    /// <summary>A cluster id of its own, so clusters sharing a PostgreSQL database never see each other.</summary>
    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Silos started and not yet stopped or crashed.</summary>
    public IReadOnlyList<ClusterSilo> Silos => _silos.Where(s => s.IsRunning).ToList();

    /// <summary>Starts <paramref name="silos"/> silos and waits until every one sees all of them active; <paramref name="configureSilo"/>
    /// adds services to every silo after its storage (e.g. an edge store over the same database).</summary>
    public static async Task<TestCluster> StartAsync(
        int silos, ClusterStorage storage = ClusterStorage.Sqlite, string? connectionString = null, Action<ClusterOptions>? configure = null,
        Action<SiloBuilder>? configureSilo = null)
    {
        var cluster = new TestCluster(storage, connectionString, configure, configureSilo);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await cluster.StartSiloAsync(waitForView: false);
            }

            await cluster.WaitForConvergenceAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo; by default waits until every running silo sees it active.</summary>
    public async Task<ClusterSilo> StartSiloAsync(bool waitForView = true)
    {
        var logs = new RecordingLoggerProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddProvider(logs);
        if (Environment.GetEnvironmentVariable("LINEAGE_TEST_LOG") is not null)
        {
            builder.Logging.AddConsole();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.AddLineageSilo(s =>
        {
            s.AddGrainAssembly(typeof(TestCluster).Assembly);
            if (_storage == ClusterStorage.Sqlite)
            {
                s.AddSqliteGrainStorage(configure: o => o.DataDirectory = _directory.Path);
                s.UseSqliteMembership(ClusterId, o => o.DataDirectory = _directory.Path);
            }
            else
            {
                s.AddPostgresGrainStorage(configure: o => o.ConnectionString = _connectionString!);
                s.UsePostgresMembership(ClusterId, o => o.ConnectionString = _connectionString!);
            }

            _configureSilo?.Invoke(s);

            s.UseCluster(o =>
            {
                o.ClusterId = ClusterId;
                o.Secret = Secret;
                o.SiloPort = 0;

                // Faster than the defaults so that failure tests finish quickly; the protocol is the same.
                o.ProbePeriod = TimeSpan.FromMilliseconds(250);
                o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                o.TableRefreshPeriod = TimeSpan.FromMilliseconds(250);
                _configure?.Invoke(o);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        var silo = new ClusterSilo(host, logs);
        _silos.Add(silo);
        if (waitForView)
        {
            await WaitForConvergenceAsync();
        }

        return silo;
    }

    /// <summary>Waits until every running silo's view lists exactly the running silos as active.</summary>
    public Task WaitForConvergenceAsync()
    {
        var expected = Silos.Select(s => s.Address).Order(SiloAddress.Order).ToList();
        return Poll.UntilAsync(
            () => Silos.All(s => s.ActiveSilos.SequenceEqual(expected)),
            $"all silos see {string.Join(", ", expected)} as the active silos");
    }

    /// <summary>Client options for this cluster: its id and secret, the test grains, and every running silo as a gateway, in order.</summary>
    public ClusterClientOptions ClientOptions()
    {
        var options = new ClusterClientOptions { ClusterId = ClusterId, Secret = Secret };
        options.GrainAssemblies.Add(typeof(TestCluster).Assembly);
        foreach (var silo in Silos)
        {
            options.Gateways.Add(silo.Address.Endpoint);
        }

        return options;
    }

    /// <summary>Connects a cluster client with <see cref="ClientOptions"/>; it is disposed with the cluster.</summary>
    public async Task<ClusterClient> ConnectClientAsync(TimeSpan? requestTimeout = null)
    {
        var options = ClientOptions();
        if (requestTimeout is { } timeout)
        {
            options.RequestTimeout = timeout;
        }

        var client = await ClusterClient.ConnectAsync(options);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        _directory.Dispose();
    }
}

/// <summary>One silo of a <see cref="TestCluster"/>.</summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private int _state;

    internal ClusterSilo(IHost host, RecordingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
        Cluster = host.Services.GetRequiredService<SiloCluster>();
        Runtime = host.Services.GetRequiredService<LocalGrainRuntime>();
        GrainFactory = host.Services.GetRequiredService<IGrainFactory>();
    }

    internal SiloCluster Cluster { get; }

    /// <summary>The silo host's services.</summary>
    public IServiceProvider Services => _host.Services;

    internal LocalGrainRuntime Runtime { get; }

    public SiloAddress Address => Cluster.Self;

    /// <summary>What this silo logged at warning level and above.</summary>
    public RecordingLoggerProvider Logs { get; }

    public bool IsRunning => Volatile.Read(ref _state) == 0;

    public IGrainFactory GrainFactory { get; }

    public int ActivationCount => Runtime.Catalog.Count;

    /// <summary>The active silos in this silo's current view, in address order.</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos => Cluster.Membership.View.Ring.Silos;

    /// <summary>Which silo owns <paramref name="grainId"/> in this silo's view.</summary>
    public SiloAddress? OwnerOf(GrainId grainId) => Cluster.GetOwner(grainId, out _);

    /// <summary>Leaves gracefully: shutting down, grains handed off, dead.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 1) != 0)
        {
            return;
        }

        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>Dies without a word: no membership update, no deactivation; its port and connections close.</summary>
    public async Task CrashAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 0)
        {
            return;
        }

        await Cluster.CrashAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == 0)
        {
            await StopAsync();
        }
        else if (Volatile.Read(ref _state) == 2)
        {
            // The crashed host still holds its storage; dispose it without the graceful stop that a crash skipped.
            Interlocked.Exchange(ref _state, 3);
            _host.Dispose();
        }
    }
}
