using Lineage.Runtime.Statistics;

namespace Lineage.Dashboard.Reports;

/// <summary>What the dashboard wants from a silo.</summary>
/// <param name="SeriesSince">Chart points after this moment only (the page already has the older ones); null for the whole history.</param>
/// <param name="IncludeSeries">Whether to send chart points at all.</param>
/// <param name="IncludeLog">Whether to send the log tail (only the silo page shows it).</param>
public sealed record SiloReportQuery(DateTimeOffset? SeriesSince, bool IncludeSeries, bool IncludeLog);

/// <summary>One silo's figures: totals since it started, rates and latency over the sampler's window, history and log tail.</summary>
/// <param name="Silo">The silo's address ("host:port@generation"), or "local" outside a cluster.</param>
/// <param name="HostName">The machine's name.</param>
/// <param name="At">When the figures were read.</param>
/// <param name="StartedAt">When the silo's runtime started.</param>
/// <param name="Activations">Activations in the silo.</param>
/// <param name="ProcessorCount">Cores the process may use; CPU percentages are of all of them.</param>
/// <param name="CpuPercent">Process CPU over the window, 100 meaning every core busy; null before the second sample.</param>
/// <param name="WorkingSetBytes">Physical memory of the process.</param>
/// <param name="GcHeapBytes">Managed heap in use.</param>
/// <param name="WindowSeconds">The span the rates cover; 0 before the second sample.</param>
/// <param name="Calls">Grain calls completed since start.</param>
/// <param name="Errors">Grain calls failed since start.</param>
/// <param name="CallsPerSecond">Calls per second over the window.</param>
/// <param name="ErrorsPerSecond">Errors per second over the window.</param>
/// <param name="WindowLatency">Latency histogram of the window's calls (bucket i counts calls under 2^i µs).</param>
/// <param name="GrainTypes">Per grain type figures.</param>
/// <param name="Series">Chart points, oldest first.</param>
/// <param name="Log">Recent warnings and errors, newest last.</param>
/// <param name="Intake">Sighting intake figures.</param>
public sealed record SiloReport(
    string Silo,
    string HostName,
    DateTimeOffset At,
    DateTimeOffset StartedAt,
    int Activations,
    int ProcessorCount,
    double? CpuPercent,
    long WorkingSetBytes,
    long GcHeapBytes,
    double WindowSeconds,
    long Calls,
    long Errors,
    double? CallsPerSecond,
    double? ErrorsPerSecond,
    long[] WindowLatency,
    IReadOnlyList<GrainTypeReport> GrainTypes,
    IReadOnlyList<SeriesPoint> Series,
    IReadOnlyList<LogEntry> Log,
    IntakeFigures Intake);

/// <summary>One grain type's figures on one silo.</summary>
public sealed record GrainTypeReport(
    string GrainType,
    string GrainClass,
    long Activations,
    long Calls,
    long Errors,
    double? CallsPerSecond,
    double? ErrorsPerSecond,
    long[] WindowLatency,
    IReadOnlyList<MethodReport> Methods);

/// <summary>One method's figures on one silo; <paramref name="Latency"/> and <paramref name="LatencySumMicroseconds"/> are since start.</summary>
public sealed record MethodReport(
    string Interface,
    string Method,
    long Calls,
    long Errors,
    double? CallsPerSecond,
    double? ErrorsPerSecond,
    long[] WindowLatency,
    long[] Latency,
    long LatencySumMicroseconds);

/// <summary>One sample interval of one silo, for the charts.</summary>
/// <param name="At">End of the interval.</param>
/// <param name="CallsPerSecond">Calls completed per second.</param>
/// <param name="ErrorsPerSecond">Calls failed per second.</param>
/// <param name="Latency">Latency histogram of the interval's calls, trailing empty buckets trimmed.</param>
/// <param name="CpuPercent">Process CPU, 100 meaning every core busy.</param>
/// <param name="WorkingSetBytes">Physical memory of the process.</param>
/// <param name="GcHeapBytes">Managed heap in use.</param>
/// <param name="AcceptedPerSecond">Sightings accepted per second.</param>
/// <param name="RefusedPerSecond">Sightings refused per second.</param>
public sealed record SeriesPoint(
    DateTimeOffset At,
    double CallsPerSecond,
    double ErrorsPerSecond,
    long[] Latency,
    double CpuPercent,
    long WorkingSetBytes,
    long GcHeapBytes,
    double AcceptedPerSecond,
    double RefusedPerSecond);

/// <summary>One retained log entry.</summary>
public sealed record LogEntry(DateTimeOffset At, string Level, string Category, int EventId, string Message, string? Exception);

/// <summary>A silo's intake counters since start and its rates over the window.</summary>
public sealed record IntakeFigures(IntakeStatisticsSnapshot Totals, double? AcceptedPerSecond, double? RefusedPerSecond);
