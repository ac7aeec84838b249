using System.Collections.Concurrent;

namespace Lineage.Runtime.Statistics;

/// <summary>This silo's sighting intake counters since it started, incremented by the intake code and read by the dashboard and
/// /metrics. In memory and per silo on purpose: a counter grain would serialise every batch of the cluster through one activation.</summary>
public sealed class IntakeStatistics
{
    private readonly ConcurrentDictionary<string, long> _refusedByReason = new(StringComparer.Ordinal);
    private long _batches;
    private long _received;
    private long _accepted;
    private long _duplicates;
    private long _refused;
    private long _flagged;
    private long _backlog = -1;

    /// <summary>Counts one batch; <paramref name="refusalReasons"/> holds one short reason per refused record (the field at fault).</summary>
    public void RecordBatch(long received, long accepted, long duplicates, long refused, long flagged, IEnumerable<string> refusalReasons)
    {
        ArgumentNullException.ThrowIfNull(refusalReasons);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _received, received);
        Interlocked.Add(ref _accepted, accepted);
        Interlocked.Add(ref _duplicates, duplicates);
        Interlocked.Add(ref _refused, refused);
        Interlocked.Add(ref _flagged, flagged);
        foreach (var reason in refusalReasons)
        {
            _refusedByReason.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        }
    }

    /// <summary>Sets the number of sightings accepted but not yet processed, once intake is queued; a synchronous intake never sets it.</summary>
    public void SetBacklog(long backlog) => Volatile.Write(ref _backlog, Math.Max(0, backlog));

    /// <summary>The counters now.</summary>
    public IntakeStatisticsSnapshot Snapshot()
    {
        var reasons = _refusedByReason.Select(r => new IntakeRefusalCount(r.Key, r.Value)).OrderBy(r => r.Reason, StringComparer.Ordinal).ToArray();
        var backlog = Volatile.Read(ref _backlog);
        return new IntakeStatisticsSnapshot(
            Interlocked.Read(ref _batches), Interlocked.Read(ref _received), Interlocked.Read(ref _accepted), Interlocked.Read(ref _duplicates),
            Interlocked.Read(ref _refused), Interlocked.Read(ref _flagged), backlog < 0 ? null : backlog, reasons);
    }
}

/// <summary>Intake counters of one silo since it started.</summary>
/// <param name="Batches">Requests handled.</param>
/// <param name="Received">Records received.</param>
/// <param name="Accepted">Records registered.</param>
/// <param name="Duplicates">Records already known, acknowledged without change.</param>
/// <param name="Refused">Records refused as invalid.</param>
/// <param name="Flagged">Records accepted with a flag for an operator.</param>
/// <param name="Backlog">Accepted records not yet processed; null while intake is synchronous.</param>
/// <param name="RefusedByReason">Refusals counted by reason, in reason order.</param>
public sealed record IntakeStatisticsSnapshot(
    long Batches, long Received, long Accepted, long Duplicates, long Refused, long Flagged, long? Backlog, IReadOnlyList<IntakeRefusalCount> RefusedByReason);

/// <summary>How many records were refused for one reason.</summary>
public sealed record IntakeRefusalCount(string Reason, long Count);
