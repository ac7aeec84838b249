using Lineage.Runtime.Cluster;
using Lineage.Silo.Hosting;
using Lineage.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Dashboard;

/// <summary>Real silo processes' hosts (SiloApplication, HTTP on loopback port 0) forming one cluster over a shared SQLite directory,
/// with the test grains added: what an operator runs, in-process.</summary>
public sealed class DashboardSilos : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _clusterId = "dash-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<WebApplication> _stopped = [];

    private DashboardSilos()
    {
    }

    /// <summary>Running silos, in start order.</summary>
    public List<DashboardSilo> Silos { get; } = [];

    public static async Task<DashboardSilos> StartAsync(int count)
    {
        var silos = new DashboardSilos();
        try
        {
            for (var i = 0; i < count; i++)
            {
                await silos.StartSiloAsync();
            }

            await Poll.UntilAsync(
                () => silos.Silos.All(s => s.Membership.Snapshot.Entries.Count(e => e.Status == Lineage.Runtime.Cluster.Membership.SiloStatus.Active) == count),
                $"all {count} silos see each other active");
            return silos;
        }
        catch
        {
            await silos.DisposeAsync();
            throw;
        }
    }

    public async Task<DashboardSilo> StartSiloAsync()
    {
        var app = SiloApplication.Create(
            [
                "--Urls", "http://127.0.0.1:0",
                "--Cluster:SiloPort", "0",
                "--Cluster:ClusterId", _clusterId,
                "--Cluster:ProbePeriod", "00:00:00.250",
                "--Cluster:ProbeTimeout", "00:00:00.500",
                "--Cluster:TableRefreshPeriod", "00:00:00.250",
                "--Storage:Sqlite:DataDirectory", _directory.Path,
                "--Logging:LogLevel:Default", "Warning",
            ],
            silo => silo.AddGrainAssembly(typeof(DashboardSilos).Assembly));
        await app.StartAsync();
        var silo = new DashboardSilo(app);
        Silos.Add(silo);
        return silo;
    }

    /// <summary>Stops a silo gracefully; the others see it leave.</summary>
    public async Task StopAsync(DashboardSilo silo)
    {
        Silos.Remove(silo);
        await silo.App.StopAsync();
        _stopped.Add(silo.App);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.App.StopAsync();
            await silo.App.DisposeAsync();
        }

        foreach (var app in _stopped)
        {
            await app.DisposeAsync();
        }

        _directory.Dispose();
    }
}

/// <summary>One silo of <see cref="DashboardSilos"/>.</summary>
public sealed class DashboardSilo(WebApplication app)
{
    public WebApplication App { get; } = app;

    public Uri BaseAddress { get; } = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    public IClusterMembership Membership => App.Services.GetRequiredService<IClusterMembership>();

    public string Address => Membership.Self.ToString();

    public Lineage.Runtime.IGrainFactory GrainFactory => App.Services.GetRequiredService<Lineage.Runtime.IGrainFactory>();

    public HttpClient Http() => new() { BaseAddress = BaseAddress };
}
