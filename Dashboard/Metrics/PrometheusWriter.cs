using System.Globalization;
using System.Text;
using Lineage.Dashboard.Sampling;
using Lineage.Runtime.Statistics;

namespace Lineage.Dashboard.Metrics;

/// <summary>Writes this silo's figures in the Prometheus text exposition format (version 0.0.4).</summary>
/// <remarks>Each silo exposes only its own figures, labelled with its address: Prometheus scrapes every silo, and a silo that also
/// exported its peers' figures would have them counted twice. Latency is a histogram (buckets in seconds, cumulative, with _sum and
/// _count) so that percentiles can be aggregated across silos with histogram_quantile.</remarks>
internal static class PrometheusWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(
        string silo,
        RuntimeStatisticsSnapshot runtime,
        IntakeStatisticsSnapshot intake,
        ProcessSample process,
        IReadOnlyDictionary<string, int>? membership)
    {
        var text = new StringBuilder(4096);
        var siloLabel = "silo=\"" + Escape(silo) + "\"";

        Header(text, "lineage_silo_start_time_seconds", "gauge", "When the silo's runtime started, in seconds since the Unix epoch.");
        Sample(text, "lineage_silo_start_time_seconds", siloLabel, runtime.StartedAt.ToUnixTimeMilliseconds() / 1000.0);
        Header(text, "lineage_activations", "gauge", "Activations in the silo, including ones activating or deactivating.");
        Sample(text, "lineage_activations", siloLabel, runtime.Activations);
        Header(text, "lineage_grain_activations", "gauge", "Live activations per grain type.");
        foreach (var type in runtime.GrainTypes)
        {
            Sample(text, "lineage_grain_activations", siloLabel + ",grain_type=\"" + Escape(type.GrainType) + "\"", type.Activations);
        }

        Header(text, "lineage_grain_calls_total", "counter", "Grain calls completed, failed ones included.");
        ForEachMethod(text, runtime, siloLabel, "lineage_grain_calls_total", static (text, name, labels, m) => Sample(text, name, labels, m.Calls));
        Header(text, "lineage_grain_errors_total", "counter", "Grain calls that ended in an exception.");
        ForEachMethod(text, runtime, siloLabel, "lineage_grain_errors_total", static (text, name, labels, m) => Sample(text, name, labels, m.Errors));
        Header(text, "lineage_grain_call_duration_seconds", "histogram", "Grain call latency from the caller's send to the grain's completion.");
        ForEachMethod(text, runtime, siloLabel, "lineage_grain_call_duration_seconds", static (text, name, labels, m) => Histogram(text, name, labels, m.LatencyMicroseconds));

        Header(text, "lineage_process_cpu_seconds_total", "counter", "CPU time used by the silo process, all cores together.");
        Sample(text, "lineage_process_cpu_seconds_total", siloLabel, process.CpuTime.TotalSeconds);
        Header(text, "lineage_process_working_set_bytes", "gauge", "Physical memory of the silo process.");
        Sample(text, "lineage_process_working_set_bytes", siloLabel, process.WorkingSetBytes);
        Header(text, "lineage_gc_heap_bytes", "gauge", "Managed heap in use.");
        Sample(text, "lineage_gc_heap_bytes", siloLabel, process.GcHeapBytes);

        Header(text, "lineage_intake_sightings_total", "counter", "Sightings received by this silo's intake, by outcome.");
        Sample(text, "lineage_intake_sightings_total", siloLabel + ",outcome=\"accepted\"", intake.Accepted);
        Sample(text, "lineage_intake_sightings_total", siloLabel + ",outcome=\"duplicate\"", intake.Duplicates);
        Sample(text, "lineage_intake_sightings_total", siloLabel + ",outcome=\"refused\"", intake.Refused);
        Header(text, "lineage_intake_flagged_total", "counter", "Accepted sightings flagged for an operator.");
        Sample(text, "lineage_intake_flagged_total", siloLabel, intake.Flagged);
        Header(text, "lineage_intake_refusals_total", "counter", "Refused sightings by reason (the field at fault).");
        foreach (var refusal in intake.RefusedByReason)
        {
            Sample(text, "lineage_intake_refusals_total", siloLabel + ",reason=\"" + Escape(refusal.Reason) + "\"", refusal.Count);
        }

        if (intake.Backlog is { } backlog)
        {
            Header(text, "lineage_intake_backlog", "gauge", "Sightings accepted but not processed yet.");
            Sample(text, "lineage_intake_backlog", siloLabel, backlog);
        }

        if (membership is not null)
        {
            Header(text, "lineage_cluster_silos", "gauge", "Silos in this silo's view of the membership table, by status.");
            foreach (var (status, count) in membership)
            {
                Sample(text, "lineage_cluster_silos", siloLabel + ",status=\"" + Escape(status) + "\"", count);
            }
        }

        return text.ToString();
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed, as the format requires.</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static void ForEachMethod(
        StringBuilder text, RuntimeStatisticsSnapshot runtime, string siloLabel, string name, Action<StringBuilder, string, string, MethodCallStatistics> write)
    {
        foreach (var type in runtime.GrainTypes)
        {
            foreach (var method in type.Methods)
            {
                var labels = siloLabel + ",grain_type=\"" + Escape(type.GrainType) + "\",interface=\"" + Escape(method.Interface)
                    + "\",method=\"" + Escape(method.Method) + "\"";
                write(text, name, labels, method);
            }
        }
    }

    private static void Histogram(StringBuilder text, string name, string labels, LatencySummary latency)
    {
        // The runtime's last bucket also holds everything longer, so it is +Inf; the others end at 2^i microseconds.
        long cumulative = 0;
        for (var i = 0; i < LatencyHistogram.BucketCount - 1; i++)
        {
            cumulative += i < latency.Histogram.Length ? latency.Histogram[i] : 0;
            var bound = LatencyHistogram.BucketUpperBoundMicroseconds(i) / 1_000_000.0;
            Sample(text, name + "_bucket", labels + ",le=\"" + Number(bound) + "\"", cumulative);
        }

        var count = latency.Histogram.Sum();
        Sample(text, name + "_bucket", labels + ",le=\"+Inf\"", count);
        Sample(text, name + "_sum", labels, latency.SumMicroseconds / 1_000_000.0);
        Sample(text, name + "_count", labels, count);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(Number(value)).Append('\n');

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
