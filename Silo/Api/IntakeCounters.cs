using Lineage.Grains.Intake;
using Lineage.Runtime.Statistics;

namespace Lineage.Silo.Api;

/// <summary>This silo's intake totals since it started, with refusals counted by the field at fault, kept in the runtime's
/// <see cref="IntakeStatistics"/> so that the dashboard and /metrics read the same counters as /api/lineage/intake/stats.</summary>
/// <remarks>Per silo and in memory on purpose: a hot counter grain would serialise every batch of the cluster through one activation.</remarks>
public sealed class IntakeCounters(IntakeStatistics statistics)
{
    /// <summary>Adds one batch's report.</summary>
    public void Add(IntakeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        statistics.RecordBatch(
            report.Received, report.Accepted, report.Duplicates, report.Refused, report.Flagged,
            report.Refusals.Select(static refusal =>
            {
                var colon = refusal.Reason.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 ? refusal.Reason[..colon] : refusal.Reason;
            }));
    }

    /// <summary>The totals now.</summary>
    public IntakeTotals Snapshot()
    {
        var now = statistics.Snapshot();
        return new IntakeTotals(
            now.Batches, now.Received, now.Accepted, now.Duplicates, now.Refused, now.Flagged,
            new SortedDictionary<string, long>(now.RefusedByReason.ToDictionary(r => r.Reason, r => r.Count, StringComparer.Ordinal), StringComparer.Ordinal));
    }
}

/// <summary>Intake totals of one silo since it started.</summary>
public sealed record IntakeTotals(long Batches, long Received, long Accepted, long Duplicates, long Refused, long Flagged, IReadOnlyDictionary<string, long> RefusedByField);
