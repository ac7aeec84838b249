using Lineage.Dashboard.Reports;
using Lineage.Dashboard.Sampling;
using Lineage.Runtime.Statistics;

namespace Lineage.Dashboard.Cluster;

/// <summary>Puts silo reports together into the views the page shows: sums, merged latency histograms, per-second charts.</summary>
internal static class DashboardAggregator
{
    private const double Megabyte = 1024 * 1024;

    public static ClusterOverview Overview(IReadOnlyList<SiloResult> silos, string reportedBy, bool clustered, double windowSeconds, DateTimeOffset now)
    {
        var views = silos.Select(s => Silo(s, now)).ToList();
        var reports = Reports(silos);
        var latency = MergedLatency(reports.Select(r => r.WindowLatency));
        var totals = new ClusterTotals(
            views.Count,
            views.Count(v => v.Status == "active"),
            views.Count(v => v.Status == "dead"),
            views.Count(v => v.Status != "dead" && !v.Answering),
            reports.Sum(r => (long)r.Activations),
            reports.Sum(r => r.Calls),
            reports.Sum(r => r.Errors),
            SumRates(reports.Select(r => r.CallsPerSecond)),
            SumRates(reports.Select(r => r.ErrorsPerSecond)),
            CounterMath.PercentileMilliseconds(latency, 0.50),
            CounterMath.PercentileMilliseconds(latency, 0.99));
        return new ClusterOverview(now, reportedBy, clustered, windowSeconds, views, totals, Series(reports));
    }

    public static GrainsOverview Grains(IReadOnlyList<SiloResult> silos, double windowSeconds, DateTimeOffset now) =>
        new(now, windowSeconds, GrainTypes(Reports(silos)), silos.Select(s => Silo(s, now)).ToList());

    public static SiloDetail Detail(SiloResult silo, double windowSeconds, DateTimeOffset now)
    {
        var reports = Reports([silo]);
        return new SiloDetail(now, windowSeconds, Silo(silo, now), GrainTypes(reports), Series(reports), silo.Report?.Log ?? [], silo.Report?.Intake.Totals);
    }

    public static IntakeOverview Intake(IReadOnlyList<SiloResult> silos, double windowSeconds, DateTimeOffset now)
    {
        var reports = Reports(silos);
        var totals = reports.Select(r => r.Intake.Totals).ToList();
        var reasons = totals.SelectMany(t => t.RefusedByReason)
            .GroupBy(r => r.Reason, StringComparer.Ordinal)
            .Select(g => new IntakeRefusalCount(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        var backlogs = totals.Where(t => t.Backlog is not null).Select(t => t.Backlog!.Value).ToList();
        var perSilo = silos.Select(s => new IntakeSiloView(
            s.Address, s.Status, s.Report is not null,
            s.Report?.Intake.Totals.Received ?? 0, s.Report?.Intake.Totals.Accepted ?? 0, s.Report?.Intake.Totals.Refused ?? 0,
            s.Report?.Intake.AcceptedPerSecond, s.Report?.Intake.RefusedPerSecond)).ToList();
        return new IntakeOverview(
            now, windowSeconds, totals.Any(t => t.Received > 0),
            totals.Sum(t => t.Batches), totals.Sum(t => t.Received), totals.Sum(t => t.Accepted), totals.Sum(t => t.Duplicates),
            totals.Sum(t => t.Refused), totals.Sum(t => t.Flagged),
            SumRates(reports.Select(r => r.Intake.AcceptedPerSecond)),
            SumRates(reports.Select(r => r.Intake.RefusedPerSecond)),
            backlogs.Count == 0 ? null : backlogs.Sum(),
            reasons, perSilo, Series(reports));
    }

    public static SiloView Silo(SiloResult silo, DateTimeOffset now)
    {
        if (silo.Report is not { } r)
        {
            return new SiloView(
                silo.Address, silo.Host, silo.Status, false, silo.Problem ?? "no figures", silo.StartedAt,
                silo.Status == "dead" || silo.StartedAt is null ? null : Math.Round((now - silo.StartedAt.Value).TotalSeconds),
                null, null, null, null, null, null, null, null, null, null);
        }

        return new SiloView(
            silo.Address, silo.Host, silo.Status, true, null, r.StartedAt, Math.Round((r.At - r.StartedAt).TotalSeconds), r.Activations,
            r.CpuPercent, Math.Round(r.WorkingSetBytes / Megabyte, 1), Math.Round(r.GcHeapBytes / Megabyte, 1), r.Calls, r.Errors,
            r.CallsPerSecond, r.ErrorsPerSecond,
            CounterMath.PercentileMilliseconds(r.WindowLatency, 0.50), CounterMath.PercentileMilliseconds(r.WindowLatency, 0.99));
    }

    /// <summary>Points of all silos bucketed by whole second: rates and memory add up, CPU is averaged, latency histograms merge.</summary>
    public static IReadOnlyList<ChartPoint> Series(IReadOnlyList<SiloReport> reports)
    {
        var seconds = new SortedDictionary<long, List<SeriesPoint>>();
        foreach (var point in reports.SelectMany(r => r.Series))
        {
            var second = point.At.ToUnixTimeSeconds();
            if (!seconds.TryGetValue(second, out var points))
            {
                seconds[second] = points = [];
            }

            points.Add(point);
        }

        var chart = new List<ChartPoint>(seconds.Count);
        foreach (var (second, points) in seconds)
        {
            var latency = MergedLatency(points.Select(p => p.Latency));
            chart.Add(new ChartPoint(
                DateTimeOffset.FromUnixTimeSeconds(second),
                points.Count,
                Math.Round(points.Sum(p => p.CallsPerSecond), 3),
                Math.Round(points.Sum(p => p.ErrorsPerSecond), 3),
                CounterMath.PercentileMilliseconds(latency, 0.50),
                CounterMath.PercentileMilliseconds(latency, 0.99),
                Math.Round(points.Average(p => p.CpuPercent), 1),
                Math.Round(points.Sum(p => p.WorkingSetBytes) / Megabyte, 1),
                Math.Round(points.Sum(p => p.AcceptedPerSecond), 3),
                Math.Round(points.Sum(p => p.RefusedPerSecond), 3)));
        }

        return chart;
    }

    /// <summary>Grain types summed over silos, busiest first.</summary>
    public static IReadOnlyList<GrainTypeView> GrainTypes(IReadOnlyList<SiloReport> reports)
    {
        var byType = reports
            .SelectMany(r => r.GrainTypes.Select(t => (Silo: r.Silo, Type: t)))
            .GroupBy(x => x.Type.GrainType, StringComparer.Ordinal);
        var views = new List<GrainTypeView>();
        foreach (var type in byType)
        {
            var latency = MergedLatency(type.Select(x => x.Type.WindowLatency));
            var methods = type
                .SelectMany(x => x.Type.Methods)
                .GroupBy(m => (m.Interface, m.Method))
                .Select(Method)
                .OrderByDescending(m => m.Calls).ThenBy(m => m.Method, StringComparer.Ordinal)
                .ToList();
            var silos = type
                .Select(x => new GrainSiloView(
                    x.Silo, x.Type.Activations, x.Type.Calls, x.Type.Errors, x.Type.CallsPerSecond,
                    CounterMath.PercentileMilliseconds(x.Type.WindowLatency, 0.99)))
                .ToList();
            views.Add(new GrainTypeView(
                type.Key,
                type.First().Type.GrainClass,
                type.Sum(x => x.Type.Activations),
                type.Sum(x => x.Type.Calls),
                type.Sum(x => x.Type.Errors),
                SumRates(type.Select(x => x.Type.CallsPerSecond)),
                SumRates(type.Select(x => x.Type.ErrorsPerSecond)),
                CounterMath.PercentileMilliseconds(latency, 0.50),
                CounterMath.PercentileMilliseconds(latency, 0.99),
                methods,
                silos));
        }

        return views.OrderByDescending(v => v.CallsPerSecond ?? 0).ThenByDescending(v => v.Calls).ThenBy(v => v.GrainType, StringComparer.Ordinal).ToList();
    }

    private static MethodView Method(IGrouping<(string Interface, string Method), MethodReport> method)
    {
        var window = MergedLatency(method.Select(m => m.WindowLatency));
        var calls = method.Sum(m => m.Calls);
        var sum = method.Sum(m => m.LatencySumMicroseconds);
        return new MethodView(
            method.Key.Interface, method.Key.Method, calls, method.Sum(m => m.Errors),
            SumRates(method.Select(m => m.CallsPerSecond)), SumRates(method.Select(m => m.ErrorsPerSecond)),
            CounterMath.PercentileMilliseconds(window, 0.50), CounterMath.PercentileMilliseconds(window, 0.99),
            calls == 0 ? null : Math.Round(sum / (double)calls / 1000.0, 3));
    }

    private static List<SiloReport> Reports(IReadOnlyList<SiloResult> silos) => silos.Where(s => s.Report is not null).Select(s => s.Report!).ToList();

    private static long[] MergedLatency(IEnumerable<IReadOnlyList<long>> histograms)
    {
        var merged = new long[LatencyHistogram.BucketCount];
        foreach (var histogram in histograms)
        {
            CounterMath.Add(merged, histogram);
        }

        return merged;
    }

    /// <summary>The sum of the rates that are known; null when none is (no silo has two samples yet).</summary>
    private static double? SumRates(IEnumerable<double?> rates)
    {
        double? sum = null;
        foreach (var rate in rates)
        {
            if (rate is { } value)
            {
                sum = (sum ?? 0) + value;
            }
        }

        return sum is { } total ? Math.Round(total, 3) : null;
    }
}
