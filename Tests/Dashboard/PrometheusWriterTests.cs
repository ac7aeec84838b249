using System.Globalization;
using System.Text.RegularExpressions;
using Lineage.Dashboard.Metrics;
using Lineage.Dashboard.Sampling;
using Lineage.Runtime.Statistics;

namespace Lineage.Tests.Dashboard;

public sealed partial class PrometheusWriterTests
{
    private static readonly DateTimeOffset Started = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_family_has_help_and_type_before_its_samples_and_every_line_parses()
    {
        var text = Write();
        var declared = new Dictionary<string, string>();
        string? current = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                current = line.Split(' ')[2];
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(current, parts[2]);
                Assert.True(declared.TryAdd(parts[2], parts[3]), $"{parts[2]} is declared twice");
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram" });
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var name = match.Groups["name"].Value;
            var family = declared.Keys.SingleOrDefault(f => name == f || (declared[f] == "histogram" && (name == f + "_bucket" || name == f + "_sum" || name == f + "_count")));
            Assert.True(family == current, $"{name} appears outside its family's block (after {current})");
            Assert.True(double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        }

        Assert.All(declared.Where(d => d.Value == "counter"), d => Assert.EndsWith("_total", d.Key));
        Assert.Equal("histogram", declared["lineage_grain_call_duration_seconds"]);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusWriter.ContentType);
    }

    [Fact]
    public void Counters_carry_silo_grain_type_and_method_labels()
    {
        var text = Write();

        Assert.Contains("lineage_grain_calls_total{silo=\"127.0.0.1:11111@42\",grain_type=\"echo\",interface=\"IEcho\",method=\"Echo\"} 7\n", text);
        Assert.Contains("lineage_grain_errors_total{silo=\"127.0.0.1:11111@42\",grain_type=\"echo\",interface=\"IEcho\",method=\"Echo\"} 2\n", text);
        Assert.Contains("lineage_intake_sightings_total{silo=\"127.0.0.1:11111@42\",outcome=\"refused\"} 3\n", text);
        Assert.Contains("lineage_intake_refusals_total{silo=\"127.0.0.1:11111@42\",reason=\"observedAt\"} 3\n", text);
        Assert.Contains("lineage_cluster_silos{silo=\"127.0.0.1:11111@42\",status=\"dead\"} 1\n", text);
        Assert.Contains("lineage_process_cpu_seconds_total{silo=\"127.0.0.1:11111@42\"} 1.5\n", text);
        Assert.Contains("lineage_silo_start_time_seconds{silo=\"127.0.0.1:11111@42\"} 1767225600\n", text);
    }

    [Fact]
    public void Latency_is_a_cumulative_histogram_in_seconds_whose_inf_bucket_is_the_count()
    {
        var lines = Write().Split('\n').Where(l => l.StartsWith("lineage_grain_call_duration_seconds", StringComparison.Ordinal)).ToList();
        var buckets = lines.Where(l => l.Contains("_bucket{", StringComparison.Ordinal)).Select(l => (Le: Label(l, "le"), Value: Value(l))).ToList();

        Assert.Equal(LatencyHistogram.BucketCount, buckets.Count);
        Assert.Equal("+Inf", buckets[^1].Le);
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Value <= p.Second.Value), "bucket counts are cumulative");
        Assert.Equal(0, buckets.Single(b => b.Le == "0.001024").Value);
        Assert.Equal(5, buckets.Single(b => b.Le == "0.002048").Value);
        Assert.Equal(7, buckets[^1].Value);
        Assert.Equal(7, Value(lines.Single(l => l.Contains("_count{", StringComparison.Ordinal))));
        Assert.Equal(0.0123, Value(lines.Single(l => l.Contains("_sum{", StringComparison.Ordinal))), 6);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        Assert.Equal("a\\\\b\\\"c\\nd", PrometheusWriter.Escape("a\\b\"c\nd"));
        var text = PrometheusWriter.Write(
            "s", new RuntimeStatisticsSnapshot(Started, Started, 0, []), new IntakeStatisticsSnapshot(0, 0, 0, 0, 1, 0, null, [new("url \"bad\"\n", 1)]), default, null);
        Assert.Contains("reason=\"url \\\"bad\\\"\\n\"} 1\n", text);
    }

    private static string Write()
    {
        var histogram = new long[LatencyHistogram.BucketCount];
        histogram[11] = 5; // [1.024, 2.048) ms
        histogram[13] = 2;
        var runtime = new RuntimeStatisticsSnapshot(Started, Started, 3, [
            new GrainTypeStatistics("echo", "Tests.EchoGrain", 3, [
                new MethodCallStatistics("IEcho", "Echo", 7, 2, new LatencySummary(1, 2, 3, histogram) { SumMicroseconds = 12_300 }),
            ]),
        ]);
        var intake = new IntakeStatisticsSnapshot(2, 10, 6, 1, 3, 0, null, [new("observedAt", 3)]);
        var process = new ProcessSample(TimeSpan.FromSeconds(1.5), 1000, 500);
        return PrometheusWriter.Write("127.0.0.1:11111@42", runtime, intake, process, new Dictionary<string, int> { ["active"] = 2, ["dead"] = 1 });
    }

    private static string Label(string line, string name) => Regex.Match(line, name + "=\"([^\"]*)\"").Groups[1].Value;

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\} (?<value>\S+)$""")]
    private static partial Regex SampleLine();
}
