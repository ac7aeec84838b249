using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lineage.Tests.Cluster.Grains;
using Lineage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lineage.Tests.Dashboard;

public sealed partial class DashboardApiTests
{
    [Fact]
    public async Task Calls_on_both_silos_show_up_in_the_cluster_view_from_either_silo()
    {
        await using var cluster = await DashboardSilos.StartAsync(2);
        var (a, b) = (cluster.Silos[0], cluster.Silos[1]);
        await CallProbeAsync(a, a, times: 3);
        await CallProbeAsync(a, b, times: 5);

        foreach (var asked in cluster.Silos)
        {
            using var http = asked.Http();
            var overview = await GetAsync(http, "/api/dashboard/cluster");
            Assert.Equal(asked.Address, overview.GetProperty("reportedBy").GetString());
            Assert.True(overview.GetProperty("clustered").GetBoolean());
            var silos = overview.GetProperty("silos").EnumerateArray().ToDictionary(s => s.GetProperty("address").GetString()!);
            Assert.Equal(new[] { a.Address, b.Address }.Order(), silos.Keys.Order());
            Assert.All(silos.Values, s => Assert.Equal("active", s.GetProperty("status").GetString()));
            Assert.All(silos.Values, s => Assert.True(s.GetProperty("answering").GetBoolean()));
            Assert.Equal(3, silos[a.Address].GetProperty("calls").GetInt64());
            Assert.Equal(5, silos[b.Address].GetProperty("calls").GetInt64());
            Assert.Equal(8, overview.GetProperty("totals").GetProperty("calls").GetInt64());

            var grains = await GetAsync(http, "/api/dashboard/grains");
            var probe = grains.GetProperty("grainTypes").EnumerateArray().Single(t => t.GetProperty("grainType").GetString() == "siloprobe");
            Assert.Equal(8, probe.GetProperty("calls").GetInt64());
            Assert.Equal(2, probe.GetProperty("activations").GetInt64());
            var method = Assert.Single(probe.GetProperty("methods").EnumerateArray());
            Assert.Equal("WhereAmI", method.GetProperty("method").GetString());
            var perSilo = probe.GetProperty("silos").EnumerateArray().ToDictionary(s => s.GetProperty("silo").GetString()!, s => s.GetProperty("calls").GetInt64());
            Assert.Equal(3, perSilo[a.Address]);
            Assert.Equal(5, perSilo[b.Address]);
        }
    }

    [Fact]
    public async Task Rates_and_charts_fill_in_while_the_dashboard_is_polled()
    {
        await using var cluster = await DashboardSilos.StartAsync(2);
        var a = cluster.Silos[0];
        using var http = a.Http();
        await GetAsync(http, "/api/dashboard/cluster");
        await CallProbeAsync(a, cluster.Silos[1], times: 20);

        await Poll.UntilAsync(
            async () =>
            {
                var overview = await GetAsync(http, "/api/dashboard/cluster");
                var totals = overview.GetProperty("totals");
                return totals.GetProperty("callsPerSecond").ValueKind == JsonValueKind.Number
                    && totals.GetProperty("callsPerSecond").GetDouble() > 0
                    && overview.GetProperty("series").GetArrayLength() > 0
                    && overview.GetProperty("silos").EnumerateArray().All(s => s.GetProperty("cpuPercent").ValueKind == JsonValueKind.Number);
            },
            "the overview reports a call rate, CPU for each silo and chart points");
    }

    [Fact]
    public async Task A_silo_that_left_is_shown_dead_not_hidden()
    {
        await using var cluster = await DashboardSilos.StartAsync(2);
        var (a, b) = (cluster.Silos[0], cluster.Silos[1]);
        var gone = b.Address;
        await cluster.StopAsync(b);
        using var http = a.Http();

        await Poll.UntilAsync(
            async () =>
            {
                var overview = await GetAsync(http, "/api/dashboard/cluster");
                var silo = overview.GetProperty("silos").EnumerateArray().SingleOrDefault(s => s.GetProperty("address").GetString() == gone);
                return silo.ValueKind == JsonValueKind.Object
                    && silo.GetProperty("status").GetString() == "dead"
                    && !silo.GetProperty("answering").GetBoolean()
                    && overview.GetProperty("totals").GetProperty("dead").GetInt32() == 1;
            },
            $"{gone} is listed as dead");

        var detail = await GetAsync(http, "/api/dashboard/silos/" + Uri.EscapeDataString(gone));
        Assert.Equal("dead", detail.GetProperty("silo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_silo_page_has_its_grains_and_log_tail_and_an_unknown_silo_is_a_clear_404()
    {
        await using var cluster = await DashboardSilos.StartAsync(1);
        var a = cluster.Silos[0];
        await CallProbeAsync(a, a, times: 2);
        using var http = a.Http();

        var logger = a.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Lineage.Tests.Dashboard");
        DiskAlmostFull(logger, 97);

        var detail = await GetAsync(http, "/api/dashboard/silos/" + Uri.EscapeDataString(a.Address));
        Assert.Equal(a.Address, detail.GetProperty("silo").GetProperty("address").GetString());
        Assert.Equal(2, detail.GetProperty("silo").GetProperty("calls").GetInt64());
        Assert.Equal("siloprobe", Assert.Single(detail.GetProperty("grainTypes").EnumerateArray()).GetProperty("grainType").GetString());
        var entry = detail.GetProperty("log").EnumerateArray().Single(e => e.GetProperty("category").GetString() == "Lineage.Tests.Dashboard");
        Assert.Equal("Warning", entry.GetProperty("level").GetString());
        Assert.Equal("disk 97% full", entry.GetProperty("message").GetString());

        using var missing = await http.GetAsync(new Uri("/api/dashboard/silos/127.0.0.1:1@1", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("No silo '127.0.0.1:1@1'", await missing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_page_and_metrics_are_served_by_every_silo()
    {
        await using var cluster = await DashboardSilos.StartAsync(1);
        var a = cluster.Silos[0];
        await CallProbeAsync(a, a, times: 4);
        using var http = a.Http();
        var ct = TestContext.Current.CancellationToken;

        using var page = await http.GetAsync(new Uri("/dashboard", UriKind.Relative), ct);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        Assert.Contains("/dashboard/app.js", await page.Content.ReadAsStringAsync(ct));
        using var script = await http.GetAsync(new Uri("/dashboard/chart.js", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        using var missing = await http.GetAsync(new Uri("/dashboard/nope.js", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), ct);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync(ct);
        Assert.Contains($"lineage_grain_calls_total{{silo=\"{a.Address}\",grain_type=\"siloprobe\",interface=\"Lineage.Tests.Cluster.Grains.ISiloProbeGrain\",method=\"WhereAmI\"}} 4\n", text);
        Assert.Contains($"lineage_cluster_silos{{silo=\"{a.Address}\",status=\"active\"}} 1\n", text);
    }

    [Fact]
    public async Task Sightings_taken_in_by_either_silo_show_up_in_the_intake_view_and_metrics()
    {
        await using var cluster = await DashboardSilos.StartAsync(2);
        var (a, b) = (cluster.Silos[0], cluster.Silos[1]);
        var ct = TestContext.Current.CancellationToken;
        using var httpA = a.Http();
        using var httpB = b.Http();
        var empty = await GetAsync(httpA, "/api/dashboard/intake");
        Assert.False(empty.GetProperty("reporting").GetBoolean());

        await PostSightingsAsync(httpA, """
            {"platform":"twitter","postId":"d1","account":"alice","observedAt":"2024-05-01T12:00:00Z"}
            {"platform":"twitter","postId":"d2","account":"bob","observedAt":"yesterday"}
            """, ct);
        await PostSightingsAsync(httpB, """
            {"platform":"twitter","postId":"d3","account":"carol","observedAt":"2024-05-01T12:05:00Z","parentPostId":"d1"}
            {"platform":"twitter","postId":"d3","account":"carol","observedAt":"2024-05-01T12:05:00Z","parentPostId":"d1"}
            """, ct);

        foreach (var http in new[] { httpA, httpB })
        {
            var intake = await GetAsync(http, "/api/dashboard/intake");
            Assert.True(intake.GetProperty("reporting").GetBoolean());
            Assert.Equal(4, intake.GetProperty("received").GetInt64());
            Assert.Equal(2, intake.GetProperty("accepted").GetInt64());
            Assert.Equal(1, intake.GetProperty("duplicates").GetInt64());
            Assert.Equal(1, intake.GetProperty("refused").GetInt64());
            var reason = Assert.Single(intake.GetProperty("refusedByReason").EnumerateArray());
            Assert.Equal("observedAt", reason.GetProperty("reason").GetString());
            Assert.Equal(JsonValueKind.Null, intake.GetProperty("backlog").ValueKind);
            var perSilo = intake.GetProperty("silos").EnumerateArray().ToDictionary(s => s.GetProperty("silo").GetString()!, s => s.GetProperty("received").GetInt64());
            Assert.Equal(2, perSilo[a.Address]);
            Assert.Equal(2, perSilo[b.Address]);
        }

        // The silo's own intake endpoint and /metrics read the same counters.
        var stats = await GetAsync(httpA, "/api/lineage/intake/stats");
        Assert.Equal(1, stats.GetProperty("refusedByField").GetProperty("observedAt").GetInt64());
        var metrics = await httpA.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
        Assert.Contains($"lineage_intake_sightings_total{{silo=\"{a.Address}\",outcome=\"accepted\"}} 1\n", metrics);
        Assert.Contains($"lineage_intake_refusals_total{{silo=\"{a.Address}\",reason=\"observedAt\"}} 1\n", metrics);
    }

    private static async Task PostSightingsAsync(HttpClient http, string ndjson, CancellationToken ct)
    {
        using var content = new StringContent(ndjson, System.Text.Encoding.UTF8, "application/x-ndjson");
        using var response = await http.PostAsync(new Uri("/api/lineage/sightings", UriKind.Relative), content, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task CallProbeAsync(DashboardSilo caller, DashboardSilo target, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(target.Address, await caller.GrainFactory.GetGrain<ISiloProbeGrain>(target.Address).WhereAmI());
        }
    }

    internal static async Task<JsonElement> GetAsync(HttpClient http, string path) =>
        await http.GetFromJsonAsync<JsonElement>(path, TestContext.Current.CancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "disk {Percent}% full")]
    private static partial void DiskAlmostFull(ILogger logger, int percent);
}
