using System.Net;
using System.Net.Sockets;
using Lineage.Runtime.Activation;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Cluster.Messaging;
using Lineage.Runtime.Invocation;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster;

/// <summary>A silo's membership of a cluster: its identity, its listener and connections, the membership protocol, and the placement
/// decisions the runtime asks it for.</summary>
internal sealed class SiloCluster : IIncomingRequestHandler, ILocalSiloDetails, IClusterMembership, IAsyncDisposable
{
    private readonly LocalGrainRuntime _runtime;
    private readonly ConnectionFactory _factory;
    private readonly MessagingListener _listener;
    private readonly ILogger _logger;
    private int _stopped;
    private int _closed;

    public SiloCluster(LocalGrainRuntime runtime, ClusterOptions options, IMembershipTable table, ILoggerFactory loggerFactory)
    {
        options.Validate();
        _runtime = runtime;
        Options = options;
        _logger = loggerFactory.CreateLogger<SiloCluster>();

        // The generation is the start time in milliseconds: a restart on the same endpoint is a new member.
        var port = options.SiloPort == 0 ? FreePort(options.SiloHost) : options.SiloPort;
        Self = new SiloAddress(options.SiloHost, port, runtime.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        _factory = new ConnectionFactory(options, PeerRole.Silo, Self.ToString(), this, runtime.Factory, runtime.TimeProvider, loggerFactory);
        Connections = new ConnectionManager(_factory, runtime.TimeProvider);
        _listener = new MessagingListener(new SiloConnectionHandler(_factory, Connections), loggerFactory);
        Membership = new ClusterMembershipService(table, options, Self, Connections, runtime.TimeProvider, loggerFactory.CreateLogger<ClusterMembershipService>());
        Membership.ViewChanged += runtime.OnViewChanged;
        Membership.ViewChanged += view => Changed?.Invoke(view.Snapshot);
        Membership.DeclaredDead += () => DeclaredDead?.Invoke();
        runtime.AttachCluster(this);
    }

    public ClusterOptions Options { get; }

    public SiloAddress Self { get; }

    string ILocalSiloDetails.ClusterId => Options.ClusterId;

    SiloAddress ILocalSiloDetails.SiloAddress => Self;

    MembershipSnapshot IClusterMembership.Snapshot => Membership.View.Snapshot;

    /// <inheritdoc />
    public event Action<MembershipSnapshot>? Changed;

    public ConnectionManager Connections { get; }

    public ClusterMembershipService Membership { get; }

    /// <summary>Raised once if the cluster declares this silo dead; the host stops the process.</summary>
    public event Action? DeclaredDead;

    IGrainFactory IIncomingRequestHandler.GrainFactory => _runtime.Factory;

    /// <summary>The silo that owns <paramref name="grainId"/> under the current view, or null with the reason no silo can take it.</summary>
    public SiloAddress? GetOwner(GrainId grainId, out string? unavailableReason)
    {
        var view = Membership.View;
        if (_runtime.Registry.IsSiloBound(grainId.Type))
        {
            return GetBoundSilo(view, grainId, out unavailableReason);
        }

        var owner = view.Ring.GetOwner(grainId);
        unavailableReason = owner is null ? $"no silo of cluster '{Options.ClusterId}' is active yet" : null;
        return owner;
    }

    private SiloAddress? GetBoundSilo(MembershipView view, GrainId grainId, out string? unavailableReason)
    {
        SiloAddress silo;
        try
        {
            silo = SiloAddress.Parse(grainId.Key);
        }
        catch (FormatException exception)
        {
            unavailableReason = $"{grainId.Type} grains live on the silo their key names, and {exception.Message}";
            return null;
        }

        if (silo == view.Self)
        {
            unavailableReason = null;
            return silo;
        }

        // Shutting-down silos still answer: their per-silo services are most interesting exactly then.
        var entry = view.Snapshot.Entries.FirstOrDefault(e => e.Silo == silo);
        if (entry is null || entry.Status is SiloStatus.Dead)
        {
            unavailableReason = $"silo {silo} is not a live member of cluster '{Options.ClusterId}'";
            return null;
        }

        unavailableReason = null;
        return silo;
    }

    /// <summary>Sends a request to the silo that owns its grain; a request that came over a connection counts one more hop.</summary>
    public void SendTo(SiloAddress owner, RequestBase request)
    {
        if (request.ResponseSink is not null)
        {
            if (request.Hops >= Options.MaxForwardHops)
            {
                request.Fail(new SiloUnavailableException(
                    $"{request.Method} on {request.TargetId} was forwarded {request.Hops} times between silos that disagree about its owner " +
                    "(membership is changing); retry the call."));
                return;
            }

            request.Hops++;
        }

        Connections.Send(owner, request);
    }

    public MethodDescriptor? FindMethod(int interfaceId, int methodIndex) => _runtime.Registry.FindMethod(interfaceId, methodIndex);

    public void Deliver(RequestBase request) => _runtime.Forward(request);

    public bool HasCrashed => _runtime.IsCrashed;

    public async Task OnMembershipChangedAsync()
    {
        try
        {
            await Membership.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ClusterLog.RefreshOnNoticeFailed(_logger, exception);
        }
    }

    /// <summary>Opens the silo port, then joins the membership as joining and then active.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _listener.StartAsync(Self.Host, Self.Port, cancellationToken).ConfigureAwait(false);
        await Membership.JoinAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves cleanly: marks itself shutting down (so no silo places grains here), deactivates its grains (flushing state),
    /// marks itself dead, and closes its connections.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await Membership.BeginLeavingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ClusterLog.LeaveFailed(_logger, Self, exception);
        }

        await _runtime.StopAsync(cancellationToken).ConfigureAwait(false);

        // Even when the host's shutdown deadline has passed (a grain that would not finish), one small write saying "dead" spares
        // the peers a round of probes and suspicions; it gets its own short deadline instead.
        using var finish = new CancellationTokenSource(Options.ConnectTimeout, _runtime.TimeProvider);
        try
        {
            await Membership.FinishLeavingAsync(finish.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ClusterLog.LeaveFailed(_logger, Self, exception);
        }

        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Stops as a crash would, for failure tests: no goodbye, no hand-off, the port and connections just go away.</summary>
    public async Task CrashAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        _runtime.Crash();
        await Membership.DisposeAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Membership.DisposeAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await Connections.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => Self.ToString();

    // The address goes into the membership table before the listener opens, so the port is chosen up front; another process could
    // take it in between, in which case the listener fails to bind and the silo does not start.
    private static int FreePort(string host)
    {
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host)[0];
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
