using System.Collections.Concurrent;
using Lineage.Grains.Intake;

namespace Lineage.Silo.Api;

/// <summary>This silo's intake totals since it started, with refusals counted by the field at fault.</summary>
/// <remarks>Per silo and in memory on purpose: a hot counter grain would serialise every batch of the cluster through one activation.</remarks>
public sealed class IntakeCounters
{
    private readonly ConcurrentDictionary<string, long> _refusedByField = new(StringComparer.Ordinal);
    private long _batches;
    private long _received;
    private long _accepted;
    private long _duplicates;
    private long _refused;
    private long _flagged;

    /// <summary>Adds one batch's report.</summary>
    public void Add(IntakeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _received, report.Received);
        Interlocked.Add(ref _accepted, report.Accepted);
        Interlocked.Add(ref _duplicates, report.Duplicates);
        Interlocked.Add(ref _refused, report.Refused);
        Interlocked.Add(ref _flagged, report.Flagged);
        foreach (var refusal in report.Refusals)
        {
            var colon = refusal.Reason.IndexOf(':', StringComparison.Ordinal);
            _refusedByField.AddOrUpdate(colon > 0 ? refusal.Reason[..colon] : refusal.Reason, 1, static (_, n) => n + 1);
        }
    }

    /// <summary>The totals now.</summary>
    public IntakeTotals Snapshot() => new(
        Interlocked.Read(ref _batches), Interlocked.Read(ref _received), Interlocked.Read(ref _accepted), Interlocked.Read(ref _duplicates),
        Interlocked.Read(ref _refused), Interlocked.Read(ref _flagged),
        new SortedDictionary<string, long>(_refusedByField, StringComparer.Ordinal));
}

/// <summary>Intake totals of one silo since it started.</summary>
public sealed record IntakeTotals(long Batches, long Received, long Accepted, long Duplicates, long Refused, long Flagged, IReadOnlyDictionary<string, long> RefusedByField);
