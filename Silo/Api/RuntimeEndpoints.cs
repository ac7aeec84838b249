using Lineage.Runtime.Statistics;

namespace Lineage.Silo.Api;

/// <summary>Health and runtime statistics over HTTP.</summary>
internal static class RuntimeEndpoints
{
    public static IEndpointRouteBuilder MapRuntimeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", (SiloStatistics statistics, IHostApplicationLifetime lifetime) =>
            {
                var snapshot = statistics.Snapshot();
                var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
                var health = new HealthReport(stopping ? "stopping" : "ok", snapshot.StartedAt, snapshot.Activations);
                return stopping ? Results.Json(health, statusCode: StatusCodes.Status503ServiceUnavailable) : Results.Ok(health);
            })
            .WithName("Health")
            .WithSummary("Whether the silo is serving, since when, and how many activations it holds.");

        endpoints.MapGet("/api/runtime/stats", (SiloStatistics statistics) => statistics.Snapshot())
            .WithName("RuntimeStatistics")
            .WithSummary("Calls, errors and latency per grain type and method, and current activations.");
        return endpoints;
    }
}

/// <summary>The silo's answer to /health.</summary>
/// <param name="Status">"ok", or "stopping" once shutdown has begun.</param>
/// <param name="StartedAt">When the runtime started.</param>
/// <param name="Activations">Activations currently in the silo.</param>
public sealed record HealthReport(string Status, DateTimeOffset StartedAt, int Activations);
