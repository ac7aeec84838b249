using Lineage.Runtime.Cluster.Messaging;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster.Membership;

/// <summary>One silo's part in the membership protocol: it joins, keeps its view current, probes its neighbours, suspects and
/// declares dead the silent ones, and leaves cleanly.</summary>
/// <remarks>
/// <para>Each silo probes the <see cref="ClusterOptions.ProbedSilos"/> live silos that follow it in address order, so every silo is
/// watched by that many others. After <see cref="ClusterOptions.MissedProbesLimit"/> missed probes in a row it adds its suspicion
/// to the target's row; the write that brings the fresh suspicions to <see cref="ClusterOptions.SuspicionsToDeclareDead"/> (capped
/// at the number of other live silos, so one suffices in a two-silo cluster) also marks the target dead. Every write is a CAS on
/// the table version, so a suspicion never overwrites a concurrent one: the loser re-reads and tries again.</para>
/// <para>A silo re-reads the table every <see cref="ClusterOptions.TableRefreshPeriod"/> and also right after each of its own
/// writes, so it reacts to changes within about that period. A silo that finds itself dead stops serving at once and asks its
/// host to stop: its grains are already re-activating elsewhere.</para>
/// </remarks>
internal sealed class ClusterMembershipService : IAsyncDisposable
{
    private const int MaxCasAttempts = 20;

    private readonly IMembershipTable _table;
    private readonly ClusterOptions _options;
    private readonly ConnectionManager _connections;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<SiloAddress, int> _missedProbes = [];
    private readonly Lock _publishLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _startedAt;
    private readonly string _hostName = Environment.MachineName;
    private Task? _loop;
    private volatile MembershipView _view;
    private int _declaredDead;

    public ClusterMembershipService(IMembershipTable table, ClusterOptions options, SiloAddress self, ConnectionManager connections, TimeProvider time, ILogger logger)
    {
        _table = table;
        _options = options;
        _connections = connections;
        _time = time;
        _logger = logger;
        _startedAt = time.GetUtcNow();
        Self = self;
        _view = new MembershipView(MembershipSnapshot.Empty, self, SiloStatus.Joining);
    }

    public SiloAddress Self { get; }

    /// <summary>The current view; replaced, never mutated.</summary>
    public MembershipView View => _view;

    /// <summary>Raised (on the membership loop) after the view changed.</summary>
    public event Action<MembershipView>? ViewChanged;

    /// <summary>Raised once if the cluster declares this silo dead.</summary>
    public event Action? DeclaredDead;

    /// <summary>Registers as joining, then active, and starts probing and refreshing.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WriteOwnStatusAsync(SiloStatus.Joining, cancellationToken).ConfigureAwait(false);
        await SupersedeGoneSilosAsync(cancellationToken).ConfigureAwait(false);
        await WriteOwnStatusAsync(SiloStatus.Active, cancellationToken).ConfigureAwait(false);
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>Marks this silo shutting down, so that every silo stops placing grains on it.</summary>
    public Task BeginLeavingAsync(CancellationToken cancellationToken) => WriteOwnStatusAsync(SiloStatus.ShuttingDown, cancellationToken);

    /// <summary>Marks this silo dead (it has handed off its grains) and stops the protocol.</summary>
    public async Task FinishLeavingAsync(CancellationToken cancellationToken)
    {
        await StopLoopAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _declaredDead) == 0)
        {
            await WriteOwnStatusAsync(SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(StopLoopAsync());

    private async Task StopLoopAsync()
    {
        // Not disposed: stopping may be requested again (dispose after a graceful leave) and must stay harmless.
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextProbe = _time.GetUtcNow();
        var nextRefresh = nextProbe;
        var nextAlive = nextProbe + _options.IAmAlivePeriod;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            try
            {
                if (now >= nextRefresh)
                {
                    nextRefresh = now + _options.TableRefreshPeriod;
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }

                if (now >= nextProbe)
                {
                    nextProbe = now + _options.ProbePeriod;
                    await ProbeAsync(cancellationToken).ConfigureAwait(false);
                }

                if (now >= nextAlive)
                {
                    nextAlive = now + _options.IAmAlivePeriod;
                    await _table.UpdateIAmAliveAsync(Self, now, cancellationToken).ConfigureAwait(false);
                    await _table.DeleteDeadAsync(now - _options.DeadSiloRetention, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                MembershipLog.TableFailed(_logger, exception);
            }

            var next = new[] { nextProbe, nextRefresh, nextAlive }.Min();
            var wait = next - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the table and publishes a new view if it changed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        Publish(snapshot);
    }

    private void Publish(MembershipSnapshot snapshot)
    {
        MembershipView view;
        lock (_publishLock)
        {
            // Reads race (the loop, a peer's notice, a CAS retry); the table's version only grows, so an older read never wins.
            var current = _view;
            if (current.Version != 0
                && (snapshot.Version < current.Version
                    || (snapshot.Version == current.Version && current.Snapshot.Entries.Count == snapshot.Entries.Count)))
            {
                return;
            }

            var own = snapshot.Entries.FirstOrDefault(e => e.Silo == Self);
            view = new MembershipView(snapshot, Self, own?.Status ?? SiloStatus.Joining);
            _view = view;
        }

        var self = view.Snapshot.Entries.FirstOrDefault(e => e.Silo == Self);
        foreach (var dead in snapshot.Entries.Where(e => e.Status == SiloStatus.Dead && e.Silo != Self))
        {
            _connections.Forget(dead.Silo);
            lock (_missedProbes)
            {
                _missedProbes.Remove(dead.Silo);
            }
        }

        MembershipLog.ViewChanged(_logger, view.Version, view.Ring.Silos.Count, string.Join(", ", view.Ring.Silos));
        if (self?.Status == SiloStatus.Dead && Interlocked.Exchange(ref _declaredDead, 1) == 0 && !_stopping.IsCancellationRequested)
        {
            MembershipLog.SelfDeclaredDead(_logger, Self);
            DeclaredDead?.Invoke();
        }

        ViewChanged?.Invoke(view);
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var targets = ProbeTargets(_view);
        if (targets.Count == 0)
        {
            return;
        }

        var results = await Task.WhenAll(targets.Select(t => ProbeOneAsync(t, cancellationToken))).ConfigureAwait(false);
        foreach (var (target, answered, _, reason) in results)
        {
            int missed;
            lock (_missedProbes)
            {
                if (answered)
                {
                    _missedProbes.Remove(target);
                    continue;
                }

                missed = _missedProbes[target] = _missedProbes.GetValueOrDefault(target) + 1;
            }

            MembershipLog.ProbeMissed(_logger, target, missed, reason);
            if (missed >= _options.MissedProbesLimit)
            {
                MembershipLog.Suspecting(_logger, target, missed);
                await SuspectAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Pings <paramref name="target"/>; <c>Refused</c> means nothing that knows the secret listens there (as opposed to a
    /// silo too slow to answer in time).</summary>
    private async Task<(SiloAddress Target, bool Answered, bool Refused, string Reason)> ProbeOneAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        try
        {
            await _connections.PingAsync(target, _options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            return (target, true, false, string.Empty);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Any failure is a missed probe: an unexpected error type must not make a dead silo look alive forever.
            return (target, false, exception is SiloUnavailableException, exception.Message);
        }
    }

    /// <summary>A silo restarting after a crash finds its predecessor — and any other silo that died without a word — still listed as
    /// live, and calls routed there would fail until probes caught up. An older generation on this silo's own endpoint is certainly
    /// gone (this silo holds its port) and is written dead; any other silo that refuses the connection outright gets a suspicion,
    /// which declares it dead where this silo's vote is enough. A silo that is merely slow to answer is left to the probes.</summary>
    private async Task SupersedeGoneSilosAsync(CancellationToken cancellationToken)
    {
        var others = _view.Snapshot.Entries.Where(e => e.Silo != Self && e.Status != SiloStatus.Dead).Select(e => e.Silo).ToList();
        foreach (var predecessor in others.Where(s => s.Host == Self.Host && s.Port == Self.Port && s.Generation < Self.Generation))
        {
            MembershipLog.Superseding(_logger, predecessor, "it is an earlier generation of this silo's endpoint");
            await SuspectAsync(predecessor, cancellationToken, certain: true).ConfigureAwait(false);
        }

        var results = await Task.WhenAll(others.Where(s => s.Port != Self.Port || s.Host != Self.Host).Select(s => ProbeOneAsync(s, cancellationToken))).ConfigureAwait(false);
        foreach (var (target, _, refused, reason) in results.Where(r => r.Refused))
        {
            MembershipLog.Superseding(_logger, target, reason);
            await SuspectAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The live silos after this one in address order, wrapping around, at most <see cref="ClusterOptions.ProbedSilos"/>.</summary>
    private List<SiloAddress> ProbeTargets(MembershipView view)
    {
        var live = view.Snapshot.Entries
            .Where(e => e.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown || e.Silo == Self)
            .Select(e => e.Silo)
            .Distinct()
            .Order(SiloAddress.Order)
            .ToList();
        var index = live.IndexOf(Self);
        var targets = new List<SiloAddress>();
        for (var i = 1; i < live.Count && targets.Count < _options.ProbedSilos; i++)
        {
            targets.Add(live[(index + i) % live.Count]);
        }

        return targets;
    }

    private async Task SuspectAsync(SiloAddress target, CancellationToken cancellationToken, bool certain = false)
    {
        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var entry = snapshot.Entries.FirstOrDefault(e => e.Silo == target);
            if (entry is null || entry.Status == SiloStatus.Dead)
            {
                Publish(snapshot);
                return;
            }

            var now = _time.GetUtcNow();
            var fresh = entry.Suspicions.Where(s => s.Suspecter != Self && now - s.At < _options.SuspicionExpiry).ToList();
            fresh.Add(new Suspicion(Self, now));
            var liveOthers = snapshot.Entries.Count(e => e.Silo != target && e.Status != SiloStatus.Dead);
            var required = Math.Max(1, Math.Min(_options.SuspicionsToDeclareDead, liveOthers));
            var declare = certain || fresh.Count >= required;
            var updated = entry with { Suspicions = fresh, Status = declare ? SiloStatus.Dead : entry.Status };
            if (await _table.TryWriteAsync(updated, snapshot.Version, cancellationToken).ConfigureAwait(false))
            {
                lock (_missedProbes)
                {
                    _missedProbes.Remove(target);
                }

                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                if (declare)
                {
                    MembershipLog.DeclaredDead(_logger, target, fresh.Count);
                    await AnnounceAsync(cancellationToken).ConfigureAwait(false);
                }

                return;
            }
        }
    }

    private async Task WriteOwnStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var existing = snapshot.Entries.FirstOrDefault(e => e.Silo == Self);
            if (existing?.Status == SiloStatus.Dead)
            {
                // A dead identity never comes back; the silo must restart with a new generation.
                Publish(snapshot);
                if (status == SiloStatus.Dead)
                {
                    return;
                }

                throw new SiloUnavailableException($"Silo {Self} was declared dead by the cluster and cannot become {status}.");
            }

            var now = _time.GetUtcNow();
            var entry = (existing ?? new MembershipEntry(Self, status, _hostName, _startedAt, now, [])) with { Status = status, IAmAliveAt = now };
            if (await _table.TryWriteAsync(entry, snapshot.Version, cancellationToken).ConfigureAwait(false))
            {
                MembershipLog.StatusWritten(_logger, Self, status, _options.ClusterId);
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                if (status != SiloStatus.Joining)
                {
                    await AnnounceAsync(cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (attempt >= MaxCasAttempts)
            {
                throw new InvalidOperationException($"Silo {Self} could not write its status {status}: the membership table kept changing under it.");
            }
        }
    }

    /// <summary>Tells every live peer that the table changed and waits (at most a probe timeout) until each has re-read it, so that
    /// routing follows a join, a departure or a death within one round trip rather than one refresh period.</summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        var peers = _view.Snapshot.Entries.Where(e => e.Silo != Self && e.Status != SiloStatus.Dead).Select(e => e.Silo).ToList();
        if (peers.Count == 0)
        {
            return;
        }

        await Task.WhenAll(peers.Select(async peer =>
        {
            try
            {
                await _connections.NotifyMembershipChangedAsync(peer, _options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A peer that cannot hear the notice will read the table on its next refresh, or is itself about to be suspected.
                MembershipLog.NoticeNotDelivered(_logger, peer, exception.Message);
            }
        })).ConfigureAwait(false);
    }
}
