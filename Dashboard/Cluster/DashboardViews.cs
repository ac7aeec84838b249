using Lineage.Dashboard.Reports;
using Lineage.Runtime.Statistics;

namespace Lineage.Dashboard.Cluster;

/// <summary>GET /api/dashboard/cluster: every silo, the cluster's totals and its charts.</summary>
/// <param name="GeneratedAt">When the answer was put together.</param>
/// <param name="ReportedBy">The silo that answered.</param>
/// <param name="Clustered">False for a silo that is not a cluster member (it shows itself only).</param>
/// <param name="RateWindowSeconds">The window rates and percentiles cover.</param>
/// <param name="Silos">Every silo in the membership table, dead ones included, in address order.</param>
/// <param name="Totals">Sums over the silos that answered.</param>
/// <param name="Series">One point per second, oldest first.</param>
public sealed record ClusterOverview(
    DateTimeOffset GeneratedAt,
    string ReportedBy,
    bool Clustered,
    double RateWindowSeconds,
    IReadOnlyList<SiloView> Silos,
    ClusterTotals Totals,
    IReadOnlyList<ChartPoint> Series);

/// <summary>One silo as the overview lists it; figures are null when the silo is dead or did not answer.</summary>
/// <param name="Address">"host:port@generation", or "local" outside a cluster.</param>
/// <param name="Host">The machine's name.</param>
/// <param name="Status">joining, active, shutting-down or dead (from the membership table).</param>
/// <param name="Answering">Whether it answered within the deadline.</param>
/// <param name="Problem">Why there are no figures: dead, or the error or timeout of the call.</param>
/// <param name="StartedAt">When the silo started.</param>
/// <param name="UptimeSeconds">Seconds since it started; null for a dead silo.</param>
/// <param name="Activations">Activations it holds.</param>
/// <param name="CpuPercent">Process CPU over the rate window, 100 meaning every core busy.</param>
/// <param name="WorkingSetMegabytes">Physical memory of the process, MiB.</param>
/// <param name="GcHeapMegabytes">Managed heap in use, MiB.</param>
/// <param name="Calls">Grain calls completed since it started.</param>
/// <param name="Errors">Grain calls failed since it started.</param>
/// <param name="CallsPerSecond">Calls per second over the rate window.</param>
/// <param name="ErrorsPerSecond">Errors per second over the rate window.</param>
/// <param name="P50Milliseconds">Median latency over the rate window.</param>
/// <param name="P99Milliseconds">99th percentile latency over the rate window.</param>
public sealed record SiloView(
    string Address,
    string Host,
    string Status,
    bool Answering,
    string? Problem,
    DateTimeOffset? StartedAt,
    double? UptimeSeconds,
    int? Activations,
    double? CpuPercent,
    double? WorkingSetMegabytes,
    double? GcHeapMegabytes,
    long? Calls,
    long? Errors,
    double? CallsPerSecond,
    double? ErrorsPerSecond,
    double? P50Milliseconds,
    double? P99Milliseconds);

/// <summary>Sums over the silos that answered.</summary>
public sealed record ClusterTotals(
    int Silos,
    int Active,
    int Dead,
    int NotAnswering,
    long Activations,
    long Calls,
    long Errors,
    double? CallsPerSecond,
    double? ErrorsPerSecond,
    double? P50Milliseconds,
    double? P99Milliseconds);

/// <summary>One second of the cluster (or one silo): rates summed over silos, latency percentiles of the merged histograms.</summary>
public sealed record ChartPoint(
    DateTimeOffset At,
    int Silos,
    double CallsPerSecond,
    double ErrorsPerSecond,
    double? P50Milliseconds,
    double? P99Milliseconds,
    double CpuPercent,
    double WorkingSetMegabytes,
    double AcceptedPerSecond,
    double RefusedPerSecond);

/// <summary>GET /api/dashboard/grains: per grain type over the whole cluster.</summary>
public sealed record GrainsOverview(DateTimeOffset GeneratedAt, double RateWindowSeconds, IReadOnlyList<GrainTypeView> GrainTypes, IReadOnlyList<SiloView> Silos);

/// <summary>One grain type summed over silos, with its methods and where its activations are.</summary>
public sealed record GrainTypeView(
    string GrainType,
    string GrainClass,
    long Activations,
    long Calls,
    long Errors,
    double? CallsPerSecond,
    double? ErrorsPerSecond,
    double? P50Milliseconds,
    double? P99Milliseconds,
    IReadOnlyList<MethodView> Methods,
    IReadOnlyList<GrainSiloView> Silos);

/// <summary>One method of a grain type summed over silos; <paramref name="MeanMilliseconds"/> is since start.</summary>
public sealed record MethodView(
    string Interface,
    string Method,
    long Calls,
    long Errors,
    double? CallsPerSecond,
    double? ErrorsPerSecond,
    double? P50Milliseconds,
    double? P99Milliseconds,
    double? MeanMilliseconds);

/// <summary>One grain type on one silo.</summary>
public sealed record GrainSiloView(string Silo, long Activations, long Calls, long Errors, double? CallsPerSecond, double? P99Milliseconds);

/// <summary>GET /api/dashboard/silos/{address}: one silo's figures, grains, charts and log tail.</summary>
public sealed record SiloDetail(
    DateTimeOffset GeneratedAt,
    double RateWindowSeconds,
    SiloView Silo,
    IReadOnlyList<GrainTypeView> GrainTypes,
    IReadOnlyList<ChartPoint> Series,
    IReadOnlyList<LogEntry> Log,
    IntakeStatisticsSnapshot? Intake);

/// <summary>GET /api/dashboard/intake: sightings accepted and refused, per silo and in total.</summary>
/// <param name="GeneratedAt">When the answer was put together.</param>
/// <param name="RateWindowSeconds">The window rates cover.</param>
/// <param name="Reporting">Whether any silo has received a sighting since it started.</param>
/// <param name="Batches">Intake requests handled.</param>
/// <param name="Received">Sightings received.</param>
/// <param name="Accepted">Sightings registered.</param>
/// <param name="Duplicates">Sightings already known.</param>
/// <param name="Refused">Sightings refused as invalid.</param>
/// <param name="Flagged">Accepted sightings flagged for an operator.</param>
/// <param name="AcceptedPerSecond">Accepted per second over the rate window.</param>
/// <param name="RefusedPerSecond">Refused per second over the rate window.</param>
/// <param name="RefusedByReason">Refusals by reason, commonest first.</param>
/// <param name="Silos">Per silo.</param>
/// <param name="Series">Accepted and refused per second, for the chart.</param>
/// <param name="Backlog">Sightings accepted but not processed yet; null while intake is synchronous (acknowledged once durable).</param>
public sealed record IntakeOverview(
    DateTimeOffset GeneratedAt,
    double RateWindowSeconds,
    bool Reporting,
    long Batches,
    long Received,
    long Accepted,
    long Duplicates,
    long Refused,
    long Flagged,
    double? AcceptedPerSecond,
    double? RefusedPerSecond,
    long? Backlog,
    IReadOnlyList<IntakeRefusalCount> RefusedByReason,
    IReadOnlyList<IntakeSiloView> Silos,
    IReadOnlyList<ChartPoint> Series);

/// <summary>One silo's intake.</summary>
public sealed record IntakeSiloView(string Silo, string Status, bool Answering, long Received, long Accepted, long Refused, double? AcceptedPerSecond, double? RefusedPerSecond);
