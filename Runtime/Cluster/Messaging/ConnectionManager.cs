using System.Collections.Concurrent;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>A silo's connections to its peers: one per pair, opened on first use, reused in both directions, dropped when the peer
/// dies.</summary>
/// <remarks>An inbound connection from a peer is used for calls to that peer too, so a pair normally shares one connection. Two silos
/// that connect to each other at the same moment keep both connections (each serves the calls already on it); the later one is
/// used for new calls.</remarks>
internal sealed class ConnectionManager(ConnectionFactory factory, TimeProvider timeProvider) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, SiloConnection> _connections = new();
    private readonly ConcurrentDictionary<SiloAddress, Lazy<Task<SiloConnection>>> _connecting = new();
    private readonly ConcurrentDictionary<SiloAddress, byte> _dead = new();
    private readonly ConcurrentDictionary<SiloConnection, byte> _clients = new();

    // A second connection to a peer (both sides connected at once) replaces the first for new calls; the first keeps serving the
    // calls already on it, and is kept here so that stopping the silo closes it too.
    private readonly ConcurrentDictionary<SiloConnection, byte> _replaced = new();
    private volatile bool _disposed;

    /// <summary>Open connections, for statistics.</summary>
    public int Count => _connections.Count;

    /// <summary>Sends <paramref name="request"/> to <paramref name="silo"/>, connecting first if needed; the request fails with
    /// <see cref="SiloUnavailableException"/> if the silo cannot be reached.</summary>
    public void Send(SiloAddress silo, RequestBase request)
    {
        if (_connections.TryGetValue(silo, out var connection) && !connection.IsClosed)
        {
            connection.SendRequest(request);
            return;
        }

        _ = SendAfterConnectingAsync(silo, request);
    }

    /// <summary>Probes <paramref name="silo"/>; throws if it does not answer within <paramref name="timeout"/> or cannot be reached.</summary>
    public async Task PingAsync(SiloAddress silo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(silo).WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        await connection.PingAsync(timeout, timeProvider).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells <paramref name="silo"/> the membership table changed and waits, up to <paramref name="timeout"/>, until its view is current.</summary>
    public async Task NotifyMembershipChangedAsync(SiloAddress silo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(silo).WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        await connection.NotifyMembershipChangedAsync(timeout, timeProvider).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adopts an authenticated inbound connection from a peer silo.</summary>
    public void Adopt(SiloConnection connection)
    {
        if (connection.PeerSilo is not { } peer)
        {
            // A client using this silo as its gateway: kept only so that stopping the silo closes it.
            _clients[connection] = 0;
            _ = connection.Closed.ContinueWith(_ => _clients.TryRemove(connection, out var _), TaskScheduler.Default);
            if (_disposed)
            {
                connection.Close("this silo is stopping");
            }

            return;
        }

        if (_disposed || _dead.ContainsKey(peer))
        {
            connection.Close(_disposed ? "this silo is stopping" : "the peer was declared dead");
            return;
        }

        _connections.AddOrUpdate(peer, connection, (silo, previous) =>
        {
            if (!ReferenceEquals(previous, connection))
            {
                _replaced[previous] = 0;
                _ = previous.Closed.ContinueWith(_ => _replaced.TryRemove(previous, out var _), TaskScheduler.Default);
            }

            return connection;
        });
        _ = ForgetWhenClosedAsync(peer, connection);

        // Disposal may have taken its snapshot between the check above and the add.
        if (_disposed)
        {
            connection.Close("this silo is stopping");
        }
    }

    /// <summary>Closes the connections to a silo that left or was declared dead and refuses new ones; calls waiting on them fail.</summary>
    public void Forget(SiloAddress silo)
    {
        _dead[silo] = 0;
        if (_connections.TryRemove(silo, out var connection))
        {
            connection.Close($"{silo} left the cluster");
        }
    }

    /// <summary>Fails calls that waited past their deadline on any connection.</summary>
    public void ReleaseExpired(TimeSpan timeout)
    {
        var now = timeProvider.GetTimestamp();
        foreach (var connection in _connections.Values.Concat(_clients.Keys).Concat(_replaced.Keys))
        {
            connection.ReleaseExpired(now, timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        var closing = new List<Task>();
        foreach (var connection in _connections.Values.Concat(_clients.Keys).Concat(_replaced.Keys))
        {
            connection.Close("this silo is stopping");
            closing.Add(connection.Closed);
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
        factory.Dispose();
    }

    private async Task SendAfterConnectingAsync(SiloAddress silo, RequestBase request)
    {
        SiloConnection connection;
        try
        {
            connection = await GetConnectionAsync(silo).ConfigureAwait(false);
        }
        catch (SiloUnavailableException exception)
        {
            request.Fail(exception);
            return;
        }

        connection.SendRequest(request);
    }

    private Task<SiloConnection> GetConnectionAsync(SiloAddress silo)
    {
        if (_connections.TryGetValue(silo, out var existing) && !existing.IsClosed)
        {
            return Task.FromResult(existing);
        }

        if (_disposed || _dead.ContainsKey(silo))
        {
            return Task.FromException<SiloConnection>(new SiloUnavailableException($"Silo {silo} is no longer a member of the cluster."));
        }

        var connecting = _connecting.GetOrAdd(silo, s => new Lazy<Task<SiloConnection>>(() => ConnectAsync(s)));
        return connecting.Value;
    }

    private async Task<SiloConnection> ConnectAsync(SiloAddress silo)
    {
        try
        {
            var connection = await factory.ConnectAsync(silo.Host, silo.Port, CancellationToken.None).ConfigureAwait(false);
            if (connection.PeerSilo != silo)
            {
                connection.Close("it is not the silo that was asked for");
                throw new SiloUnavailableException($"{silo.Endpoint} is now {connection.PeerIdentity}, not {silo}: that silo restarted, so {silo} is gone.");
            }

            Adopt(connection);
            return connection;
        }
        finally
        {
            _connecting.TryRemove(silo, out _);
        }
    }

    private async Task ForgetWhenClosedAsync(SiloAddress peer, SiloConnection connection)
    {
        await connection.Closed.ConfigureAwait(false);
        _connections.TryRemove(new KeyValuePair<SiloAddress, SiloConnection>(peer, connection));
    }
}
