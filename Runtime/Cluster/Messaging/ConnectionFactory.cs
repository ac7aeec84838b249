using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>Opens outbound connections on Kestrel's socket transport and authenticates them.</summary>
internal sealed class ConnectionFactory : IDisposable
{
    private readonly SocketConnectionContextFactory _contexts;
    private readonly ConnectionHandshake _handshake;
    private readonly ClusterOptions _options;
    private readonly PeerRole _localRole;
    private readonly string _localIdentity;
    private readonly IIncomingRequestHandler? _handler;
    private readonly IGrainFactory? _grainFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ConnectionFactory(ClusterOptions options, PeerRole localRole, string localIdentity, IIncomingRequestHandler? handler, IGrainFactory? grainFactory, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _options = options;
        _localRole = localRole;
        _localIdentity = localIdentity;
        _handler = handler;
        _grainFactory = grainFactory;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger("Lineage.Runtime.Cluster.Messaging");
        _handshake = new ConnectionHandshake(options.ClusterId, options.Secret);
        _contexts = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), _logger);
    }

    public ILogger Logger => _logger;

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>, authenticates, and starts the connection's loops.</summary>
    /// <exception cref="SiloUnavailableException">The peer cannot be reached or refused the cluster secret.</exception>
    public async Task<SiloConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var reason = exception is OperationCanceledException ? $"no answer within {_options.ConnectTimeout.TotalSeconds:0.#} s" : exception.Message;
            MessagingLog.ConnectFailed(_logger, host + ":" + port, reason);
            throw new SiloUnavailableException($"Cannot connect to {host}:{port}: {reason}.");
        }

        var context = _contexts.Create(socket);
        string peer;
        try
        {
            peer = await _handshake.ConnectAsync(context.Transport, _localRole, _localIdentity, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is AuthenticationFailedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            await context.DisposeAsync().ConfigureAwait(false);
            var reason = exception is OperationCanceledException ? "authentication timed out" : exception.Message;
            MessagingLog.ConnectFailed(_logger, host + ":" + port, reason);
            throw new SiloUnavailableException($"Cannot connect to {host}:{port}: {reason}.");
        }

        var connection = new SiloConnection(context, PeerRole.Silo, peer, _handler, _grainFactory, _options.MaxMessageBytes, _timeProvider, _logger);
        MessagingLog.Connected(_logger, PeerRole.Silo, peer, "outbound");
        _ = RunAsync(connection);
        return connection;
    }

    /// <summary>Authenticates an accepted connection and runs it until it closes.</summary>
    public async Task AcceptAsync(Microsoft.AspNetCore.Connections.ConnectionContext context, Action<SiloConnection> onAuthenticated)
    {
        PeerRole role;
        string peer;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
            (role, peer) = await _handshake.AcceptAsync(context.Transport, _localIdentity, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is AuthenticationFailedException or OperationCanceledException or IOException or InvalidOperationException or FormatException)
        {
            MessagingLog.AuthenticationFailed(_logger, context.RemoteEndPoint?.ToString(), exception is OperationCanceledException ? "authentication timed out" : exception.Message);
            await context.DisposeAsync().ConfigureAwait(false);
            return;
        }

        SiloConnection connection;
        try
        {
            connection = new SiloConnection(context, role, peer, _handler, _grainFactory, _options.MaxMessageBytes, _timeProvider, _logger);
        }
        catch (FormatException exception)
        {
            MessagingLog.AuthenticationFailed(_logger, context.RemoteEndPoint?.ToString(), exception.Message);
            await context.DisposeAsync().ConfigureAwait(false);
            return;
        }

        MessagingLog.Connected(_logger, role, peer, "inbound");
        onAuthenticated(connection);
        await RunAsync(connection).ConfigureAwait(false);
    }

    private async Task RunAsync(SiloConnection connection)
    {
        await connection.RunAsync().ConfigureAwait(false);
        MessagingLog.Disconnected(_logger, connection.PeerIdentity, connection.FailedOnClose);
    }

    public void Dispose() => _contexts.Dispose();
}
