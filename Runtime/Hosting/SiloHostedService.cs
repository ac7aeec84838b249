using Lineage.Runtime.Activation;
using Microsoft.Extensions.Hosting;

namespace Lineage.Runtime.Hosting;

/// <summary>Starts the runtime's periodic work (timeouts, collection) and deactivates every grain on shutdown.</summary>
internal sealed class SiloHostedService(LocalGrainRuntime runtime) : IHostedService, IAsyncDisposable
{
    private ITimer? _timeoutTimer;
    private ITimer? _collectionTimer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var time = runtime.TimeProvider;
        _timeoutTimer = time.CreateTimer(static s => ((LocalGrainRuntime)s!).ReleaseExpiredRequests(), runtime, options.RequestTimeoutCheckPeriod, options.RequestTimeoutCheckPeriod);
        _collectionTimer = time.CreateTimer(static s => ((LocalGrainRuntime)s!).Collector.Collect(), runtime, options.CollectionQuantum, options.CollectionQuantum);
        runtime.Log.Started(runtime.Registry.Classes.Count, runtime.Registry.InterfaceCount);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_collectionTimer is not null)
        {
            await _collectionTimer.DisposeAsync();
        }

        await runtime.StopAsync(cancellationToken);

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
