using Lineage.Runtime;

namespace Lineage.Dashboard.Reports;

/// <summary>Each silo's own figures, published by a silo-bound activation keyed by the silo's address: the dashboard on any silo
/// asks every live silo in parallel, so no single grain carries the cluster's statistics.</summary>
public interface ISiloStatisticsGrain : IGrainWithStringKey
{
    /// <summary>This silo's figures now; asking also keeps the silo sampling for the dashboard's charts a while longer.</summary>
    [ReadOnly]
    Task<SiloReport> GetReport(SiloReportQuery query);
}
