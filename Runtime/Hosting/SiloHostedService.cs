using Lineage.Runtime.Activation;
using Lineage.Runtime.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lineage.Runtime.Hosting;

/// <summary>Starts the runtime's periodic work (timeouts, collection) and, under a cluster, joins it; on shutdown leaves the cluster
/// (shutting down, grains deactivated and flushed, then dead) or, alone, deactivates every grain.</summary>
/// <remarks>One service does both so that the order never depends on registration order: the cluster must say it is leaving
/// before the runtime deactivates, and the runtime's timeouts must run until the end.</remarks>
internal sealed class SiloHostedService(LocalGrainRuntime runtime, IServiceProvider services, IHostApplicationLifetime lifetime) : IHostedService, IAsyncDisposable
{
    private readonly SiloCluster? _cluster = services.GetService<SiloCluster>();
    private ITimer? _timeoutTimer;
    private ITimer? _collectionTimer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var time = runtime.TimeProvider;
        _timeoutTimer = time.CreateTimer(static s => ((LocalGrainRuntime)s!).ReleaseExpiredRequests(), runtime, options.RequestTimeoutCheckPeriod, options.RequestTimeoutCheckPeriod);
        _collectionTimer = time.CreateTimer(static s => ((LocalGrainRuntime)s!).Collector.Collect(), runtime, options.CollectionQuantum, options.CollectionQuantum);
        runtime.Log.Started(runtime.Registry.Classes.Count, runtime.Registry.InterfaceCount);
        if (_cluster is null)
        {
            return Task.CompletedTask;
        }

        _cluster.DeclaredDead += lifetime.StopApplication;
        return _cluster.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_collectionTimer is not null)
        {
            await _collectionTimer.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.StopAsync(cancellationToken);
        }
        else
        {
            await runtime.StopAsync(cancellationToken);
        }

        // Timeouts keep running during shutdown so that callers of a stuck grain are still released.
        if (_timeoutTimer is not null)
        {
            await _timeoutTimer.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timeoutTimer is not null)
        {
            await _timeoutTimer.DisposeAsync();
        }

        if (_collectionTimer is not null)
        {
            await _collectionTimer.DisposeAsync();
        }
    }
}
