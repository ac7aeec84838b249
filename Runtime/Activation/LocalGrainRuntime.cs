using System.Text.Json;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Filters;
using Lineage.Runtime.Hosting;
using Lineage.Runtime.Invocation;
using Lineage.Runtime.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Activation;

/// <summary>The silo's call path: routes requests from grain references to local activations, enforcing timeouts.</summary>
internal sealed class LocalGrainRuntime : GrainCallDispatcher
{
    /// <summary>The storage provider used when a <see cref="PersistentStateAttribute"/> names none.</summary>
    public const string DefaultStorageName = "Default";

    private static readonly JsonSerializerOptions StateSerializerOptions = new(JsonSerializerDefaults.Web);

    private readonly long _timeoutTicks;
    private volatile bool _stopping;
    private volatile bool _crashed;

    /// <summary>Whether <see cref="Crash"/> was called: the silo must look, to its peers, like a process that is gone.</summary>
    public bool IsCrashed => _crashed;

    public LocalGrainRuntime(
        IServiceProvider services,
        IOptions<SiloOptions> options,
        GrainTypeRegistry registry,
        IEnumerable<IIncomingGrainCallFilter> incomingFilters,
        IEnumerable<IOutgoingGrainCallFilter> outgoingFilters,
        TimeProvider timeProvider,
        ILogger<LocalGrainRuntime> logger)
    {
        Options = options.Value;
        Options.Validate();
        Services = services;
        Registry = registry;
        TimeProvider = timeProvider;
        Log = logger;
        IncomingFilters = [.. incomingFilters];
        OutgoingFilters = [.. outgoingFilters];
        Catalog = new Catalog(registry, this);
        Factory = new GrainFactory(this, registry);
        Collector = new ActivationCollector(this);
        _timeoutTicks = (long)(Options.RequestTimeout.TotalSeconds * timeProvider.TimestampFrequency);
        StartedAt = timeProvider.GetUtcNow();
    }

    /// <summary>When the runtime was created, which the host does as it starts.</summary>
    public DateTimeOffset StartedAt { get; }

    public SiloOptions Options { get; }

    public IServiceProvider Services { get; }

    public GrainTypeRegistry Registry { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Log { get; }

    public IIncomingGrainCallFilter[] IncomingFilters { get; }

    public IOutgoingGrainCallFilter[] OutgoingFilters { get; }

    public Catalog Catalog { get; }

    public GrainFactory Factory { get; }

    public ActivationCollector Collector { get; }

    public bool IsStopping => _stopping;

    /// <summary>The cluster this silo belongs to; null for a stand-alone silo, which owns every grain.</summary>
    public SiloCluster? Cluster { get; private set; }

    public void AttachCluster(SiloCluster cluster) => Cluster = cluster;

    internal override void Send(GrainReference target, RequestBase request)
    {
        var now = TimeProvider.GetTimestamp();
        request.TargetId = target.GrainId;
        request.SentTimestamp = now;
        request.DeadlineTimestamp = now + _timeoutTicks;
        var current = RuntimeContext.CurrentRequest ?? (SynchronizationContext.Current as GrainActivation)?.SoloRequest;
        if (current is not null && !request.IsOneWay)
        {
            request.Chain = new CallChain(current.TargetId, current.Chain);
        }

        if (OutgoingFilters.Length > 0)
        {
            _ = new OutgoingCallContext(request, target, OutgoingFilters, current?.TargetId, SendCore).RunAsync();
            return;
        }

        SendCore(target, request);
    }

    private void SendCore(GrainReference target, RequestBase request)
    {
        if (target.CachedTarget is GrainActivation cached && cached.TryEnqueue(request))
        {
            return;
        }

        target.CachedTarget = Route(request);
    }

    /// <summary>Re-routes a request whose activation went away before it could start.</summary>
    public void Forward(RequestBase request) => Route(request);

    private GrainActivation? Route(RequestBase request)
    {
        // An activation can leave the catalog between lookup and enqueue; each retry finds its successor.
        for (var attempt = 0; attempt < 16; attempt++)
        {
            if (_crashed)
            {
                request.Fail(new SiloUnavailableException("The silo has crashed."));
                return null;
            }

            // Under a cluster the owner decides, even while stopping: a leaving silo is off the ring and passes calls on.
            if (Cluster is { } cluster)
            {
                var owner = cluster.GetOwner(request.TargetId, out var unavailableReason);
                if (owner is null)
                {
                    request.Fail(new SiloUnavailableException($"Call to {request.Method} on {request.TargetId} was not delivered: {unavailableReason}."));
                    return null;
                }

                if (owner != cluster.Self)
                {
                    cluster.SendTo(owner, request);
                    return null;
                }
            }

            if (_stopping)
            {
                // Activations still finishing their work may be called; nothing new is activated on a stopping silo.
                if (Catalog.TryGet(request.TargetId, out var existing) && existing!.TryEnqueue(request))
                {
                    return existing;
                }

                request.Fail(new SiloUnavailableException($"The silo is shutting down; call to {request.Method} on {request.TargetId} was not delivered."));
                return null;
            }

            GrainActivation activation;
            try
            {
                activation = Catalog.GetOrCreate(request.TargetId);
            }
            catch (Exception exception)
            {
                request.Fail(exception);
                return null;
            }

            if (activation.TryEnqueue(request))
            {
                return activation;
            }
        }

        request.Fail(new InvalidOperationException($"Could not deliver {request.Method} to {request.TargetId}: its activation kept disappearing."));
        return null;
    }

    /// <summary>Deactivates the activations whose grains another silo owns under <paramref name="view"/>; their state is flushed and
    /// they re-activate on the owner at their next call.</summary>
    public void OnViewChanged(MembershipView view)
    {
        var self = view.Self;
        var moved = Catalog.Activations.Where(a => !a.ClassInfo.IsSiloBound && view.Ring.GetOwner(a.GrainId) != self).ToList();
        if (moved.Count == 0)
        {
            return;
        }

        ClusterLog.HandingOff(Log, moved.Count);
        var reason = view.SelfStatus == SiloStatus.Dead
            ? new DeactivationReason(DeactivationReasonCode.SiloDeclaredDead, "The cluster declared this silo dead.")
            : new DeactivationReason(DeactivationReasonCode.PlacementChanged, "Another silo owns this grain now.");
        foreach (var activation in moved)
        {
            activation.Deactivate(reason);
        }
    }

    /// <summary>Stops serving at once, as a crashed process would: nothing is deactivated or flushed.</summary>
    public void Crash()
    {
        _crashed = true;
        _stopping = true;
    }

    public long ElapsedMicroseconds(long start, long end) =>
        (long)((end - start) * 1_000_000.0 / TimeProvider.TimestampFrequency);

    public void OnActivationCreated(int count)
    {
        if (Options.MaxActivations > 0 && count > Options.MaxActivations)
        {
            Collector.RequestCapacityCollection();
        }
    }

    public IPersistentState<TState> CreatePersistentState<TState>(GrainId grainId, string stateName, string? storageName)
        where TState : new()
    {
        var name = storageName ?? DefaultStorageName;
        var storage = Services.GetKeyedService<IGrainStorage>(name)
            ?? throw new InvalidOperationException(
                $"Grain {grainId} asks for state '{stateName}' in storage '{name}', but no grain storage with that name is registered. " +
                "Register one with AddSqliteGrainStorage(...) on the silo builder.");
        return new PersistentState<TState>(grainId, stateName, storage, StateSerializerOptions);
    }

    /// <summary>Fails callers whose deadline passed; runs every <see cref="SiloOptions.RequestTimeoutCheckPeriod"/>.</summary>
    public void ReleaseExpiredRequests()
    {
        var now = TimeProvider.GetTimestamp();
        foreach (var activation in Catalog.Activations)
        {
            activation.ReleaseExpired(now);
        }

        Cluster?.Connections.ReleaseExpired(Options.RequestTimeout);
    }

    /// <summary>Stops accepting calls and deactivates every activation, waiting up to <see cref="SiloOptions.ShutdownTimeout"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var activations = Catalog.Activations.ToList();
        Log.Stopping(activations.Count);
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down.");
        foreach (var activation in activations)
        {
            activation.Deactivate(reason);
        }

        try
        {
            await Task.WhenAll(activations.Select(a => a.Deactivated)).WaitAsync(Options.ShutdownTimeout, TimeProvider, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // A grain stuck in a turn must not hold the process hostage; what was acknowledged is already durable.
            Log.ShutdownTimedOut(Catalog.Count);
        }

        Log.Stopped();
    }
}
