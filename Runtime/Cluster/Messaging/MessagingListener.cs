using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>Accepts silo and client connections on Kestrel's socket transport and hands each to <see cref="SiloConnectionHandler"/>.</summary>
/// <remarks>It binds the transport directly rather than through an HTTP server, so that a silo hosted without ASP.NET (tests, a
/// worker) listens the same way, and so that the port is open before the silo announces itself in the membership table.</remarks>
internal sealed class MessagingListener(SiloConnectionHandler handler, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private IConnectionListener? _listener;
    private Task? _acceptLoop;
    private readonly List<Task> _connections = [];

    public async Task StartAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var address) ? [address] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions { NoDelay = true }), loggerFactory);
        _listener = await transport.BindAsync(new IPEndPoint(addresses[0], port), cancellationToken).ConfigureAwait(false);
        MessagingLog.Listening(loggerFactory.CreateLogger("Lineage.Runtime.Cluster.Messaging"), _listener.EndPoint.ToString() ?? host + ":" + port);
        _acceptLoop = AcceptLoopAsync(_listener);
    }

    private async Task AcceptLoopAsync(IConnectionListener listener)
    {
        while (await listener.AcceptAsync().ConfigureAwait(false) is { } context)
        {
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(handler.OnConnectedAsync(context));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _listener.UnbindAsync().ConfigureAwait(false);
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Kestrel connection handler for the silo port: authenticates the peer, then serves the connection until it closes.</summary>
internal sealed class SiloConnectionHandler(ConnectionFactory factory, ConnectionManager connections) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) => factory.AcceptAsync(connection, connections.Adopt);
}
