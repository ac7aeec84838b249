using Lineage.Dashboard.Logging;
using Lineage.Dashboard.Sampling;
using Lineage.Runtime;

namespace Lineage.Dashboard.Reports;

/// <summary>Publishes the figures of the silo it runs on; one activation per silo, keyed by the silo's address.</summary>
[SiloBound]
[Reentrant]
public sealed class SiloStatisticsGrain(StatisticsSampler sampler, LogTail log) : Grain, ISiloStatisticsGrain
{
    /// <inheritdoc />
    public Task<SiloReport> GetReport(SiloReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        sampler.Touch();
        return Task.FromResult(sampler.Report(GetPrimaryKeyString(), query, query.IncludeLog ? log.Entries() : []));
    }
}
