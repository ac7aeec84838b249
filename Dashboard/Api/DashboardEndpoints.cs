using Lineage.Dashboard.Cluster;
using Lineage.Dashboard.Metrics;
using Lineage.Dashboard.Reports;
using Lineage.Dashboard.Sampling;
using Lineage.Dashboard.Security;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Statistics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Dashboard.Api;

/// <summary>The page at /dashboard, the JSON API it polls (/api/dashboard/...), and /metrics, all behind the operator policy.</summary>
internal static class DashboardEndpoints
{
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization(LineagePolicies.Operator);

        group.MapGet("/dashboard", (DashboardAssets assets) => Asset(assets, "index.html")).ExcludeFromDescription();
        group.MapGet("/dashboard/{*file}", (string? file, DashboardAssets assets) => Asset(assets, string.IsNullOrEmpty(file) ? "index.html" : file))
            .ExcludeFromDescription();

        group.MapGet("/api/dashboard/cluster", async (DateTimeOffset? since, ClusterCollector collector, TimeProvider time) =>
            {
                var silos = await collector.CollectAsync(new SiloReportQuery(since, IncludeSeries: true, IncludeLog: false));
                return DashboardAggregator.Overview(silos, collector.Self, collector.Clustered, collector.RateWindowSeconds, time.GetUtcNow());
            })
            .WithName("DashboardCluster")
            .WithSummary("Every silo with status, uptime, activations, CPU, memory, calls and latency; cluster totals; per-second charts (points after 'since' only, when given).");

        group.MapGet("/api/dashboard/grains", async (ClusterCollector collector, TimeProvider time) =>
            {
                var silos = await collector.CollectAsync(new SiloReportQuery(null, IncludeSeries: false, IncludeLog: false));
                return DashboardAggregator.Grains(silos, collector.RateWindowSeconds, time.GetUtcNow());
            })
            .WithName("DashboardGrains")
            .WithSummary("Per grain type over the whole cluster: activations, calls, errors, rates and latency, per method and per silo.");

        group.MapGet("/api/dashboard/silos/{address}", async (string address, DateTimeOffset? since, ClusterCollector collector, TimeProvider time) =>
            {
                var silos = await collector.CollectAsync(new SiloReportQuery(since, IncludeSeries: true, IncludeLog: true), only: address);
                return silos.Count == 0
                    ? Results.Problem(
                        $"No silo '{address}' in this silo's membership view; GET /api/dashboard/cluster lists the silos.",
                        statusCode: StatusCodes.Status404NotFound,
                        title: "Unknown silo")
                    : Results.Ok(DashboardAggregator.Detail(silos[0], collector.RateWindowSeconds, time.GetUtcNow()));
            })
            .WithName("DashboardSilo")
            .WithSummary("One silo: its figures, grain types, per-second charts and its recent warnings and errors.");

        group.MapGet("/api/dashboard/intake", async (DateTimeOffset? since, ClusterCollector collector, TimeProvider time) =>
            {
                var silos = await collector.CollectAsync(new SiloReportQuery(since, IncludeSeries: true, IncludeLog: false));
                return DashboardAggregator.Intake(silos, collector.RateWindowSeconds, time.GetUtcNow());
            })
            .WithName("DashboardIntake")
            .WithSummary("Sightings received, accepted and refused (per second and in total), refusal reasons and backlog, per silo and in total.");

        group.MapGet("/metrics", (SiloStatistics statistics, IntakeStatistics intake, ClusterCollector collector, IServiceProvider services) =>
            {
                var membership = services.GetService<IClusterMembership>()?.Snapshot.Entries
                    .GroupBy(e => ClusterCollector.StatusName(e.Status))
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                var text = PrometheusWriter.Write(collector.Self, statistics.Snapshot(), intake.Snapshot(), ProcessSample.Read(), membership);
                return Results.Text(text, PrometheusWriter.ContentType);
            })
            .WithName("Metrics")
            .WithSummary("This silo's figures in the Prometheus text format; scrape every silo.");

        return group;
    }

    private static IResult Asset(DashboardAssets assets, string file) => assets.TryGet(file, out var content, out var contentType)
        ? Results.Bytes(content, contentType)
        : Results.Problem($"The dashboard has no file '{file}'; the page is at /dashboard.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
