using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Lineage.Silo.Hosting;

/// <summary>Tells the operator, once the silo is up, where it listens.</summary>
internal static partial class SiloStartupLog
{
    public static void Write(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Lineage.Silo");
        Listening(logger, string.Join(", ", addresses), addresses.Select(a => a + "/health").FirstOrDefault() ?? "(none)");
        if (app.Services.GetService<ILocalSiloDetails>() is { } silo)
        {
            Member(logger, silo.SiloAddress, silo.ClusterId);
        }
    }

    [LoggerMessage(2, LogLevel.Information, "Silo {Silo} is a member of cluster '{ClusterId}'")]
    private static partial void Member(ILogger logger, SiloAddress silo, string clusterId);

    [LoggerMessage(1, LogLevel.Information, "Silo listening on {Addresses}; health at {Health}, statistics at /api/runtime/stats, OpenAPI at /openapi/v1.json")]
    private static partial void Listening(ILogger logger, string addresses, string health);
}
