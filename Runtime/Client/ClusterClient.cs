using System.Reflection;
using Lineage.Runtime.Activation;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Messaging;
using Lineage.Runtime.Invocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Runtime.Client;

/// <summary>Calls grains in a cluster from outside it, through one of its silos (a gateway), with the same typed references as grain
/// code.</summary>
/// <remarks>The client keeps one authenticated connection to one gateway. If that gateway goes away, calls waiting on it fail with
/// <see cref="SiloUnavailableException"/> (they may or may not have run) and the next call connects to the next gateway in the list.
/// Every call has a deadline (<see cref="ClusterClientOptions.RequestTimeout"/>).</remarks>
public sealed class ClusterClient : IGrainFactory, IAsyncDisposable
{
    private readonly ClusterClientOptions _options;
    private readonly ClientDispatcher _dispatcher;
    private readonly GrainFactory _factory;
    private readonly ConnectionFactory _connections;
    private readonly ITimer _expiry;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private volatile SiloConnection? _gateway;
    private int _nextGateway;
    private int _disposed;

    private ClusterClient(ClusterClientOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _options = options;
        TimeProvider = timeProvider;
        var assemblies = options.GrainAssemblies.Count > 0 ? options.GrainAssemblies : [Assembly.GetEntryAssembly()!];
        var registry = new GrainTypeRegistry(assemblies);
        _dispatcher = new ClientDispatcher(this);
        _factory = new GrainFactory(_dispatcher, registry);
        var clusterOptions = new ClusterOptions { ClusterId = options.ClusterId, Secret = options.Secret, ConnectTimeout = options.ConnectTimeout };
        _connections = new ConnectionFactory(clusterOptions, PeerRole.Client, "client/" + Guid.NewGuid().ToString("N"), handler: null, _factory, timeProvider, loggerFactory);
        _expiry = timeProvider.CreateTimer(static s => ((ClusterClient)s!).ReleaseExpired(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    internal TimeProvider TimeProvider { get; }

    /// <summary>The silo identity of the gateway currently in use; null between connections.</summary>
    public string? CurrentGateway => _gateway is { IsClosed: false } gateway ? gateway.PeerIdentity : null;

    /// <summary>Connects to the first gateway that answers; throws <see cref="SiloUnavailableException"/> if none does.</summary>
    public static async Task<ClusterClient> ConnectAsync(ClusterClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new ClusterClient(options, loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System);
        try
        {
            await client.GetGatewayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey => _factory.GetGrain<TGrainInterface>(key);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid key) where TGrainInterface : IGrainWithGuidKey => _factory.GetGrain<TGrainInterface>(key);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey => _factory.GetGrain<TGrainInterface>(key);

    /// <summary>Closes the connection; calls still waiting fail with <see cref="SiloUnavailableException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _expiry.DisposeAsync().ConfigureAwait(false);
        if (_gateway is { } gateway)
        {
            gateway.Close("the client is closing");
            await gateway.Closed.ConfigureAwait(false);
        }

        _connections.Dispose();
        _connectLock.Dispose();
    }

    private void ReleaseExpired() => _gateway?.ReleaseExpired(TimeProvider.GetTimestamp(), _options.RequestTimeout);

    private void Send(RequestBase request)
    {
        var now = TimeProvider.GetTimestamp();
        request.SentTimestamp = now;
        request.DeadlineTimestamp = now + (long)(_options.RequestTimeout.TotalSeconds * TimeProvider.TimestampFrequency);
        if (_gateway is { IsClosed: false } gateway)
        {
            gateway.SendRequest(request);
            return;
        }

        _ = SendAfterConnectingAsync(request);
    }

    private async Task SendAfterConnectingAsync(RequestBase request)
    {
        try
        {
            var gateway = await GetGatewayAsync(CancellationToken.None).ConfigureAwait(false);
            gateway.SendRequest(request);
        }
        catch (Exception exception) when (exception is SiloUnavailableException or ObjectDisposedException)
        {
            request.Fail(exception as SiloUnavailableException ?? new SiloUnavailableException("The cluster client is closed."));
        }
    }

    private async Task<SiloConnection> GetGatewayAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_gateway is { IsClosed: false } current)
            {
                return current;
            }

            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var failures = new List<string>();
            for (var i = 0; i < _options.Gateways.Count; i++)
            {
                var gateway = _options.Gateways[(_nextGateway + i) % _options.Gateways.Count];
                var (host, port) = ClusterClientOptions.ParseGateway(gateway);
                try
                {
                    var connection = await _connections.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
                    _nextGateway = (_nextGateway + i + 1) % _options.Gateways.Count;
                    _gateway = connection;
                    return connection;
                }
                catch (SiloUnavailableException exception)
                {
                    failures.Add(exception.Message);
                }
            }

            throw new SiloUnavailableException("No gateway of the cluster could be reached: " + string.Join(" ", failures));
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Delivers the client's grain calls through the current gateway.</summary>
    private sealed class ClientDispatcher(ClusterClient client) : GrainCallDispatcher
    {
        internal override void Send(GrainReference target, RequestBase request)
        {
            request.TargetId = target.GrainId;
            client.Send(request);
        }
    }
}
