using Lineage.Runtime;
using Lineage.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lineage.Benchmarks.Runtime;

/// <summary>A silo in this process with the benchmark grains; storage only if <c>configure</c> adds it.</summary>
internal sealed class BenchmarkSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchmarkSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    internal Lineage.Runtime.Activation.LocalGrainRuntime Runtime => _host.Services.GetRequiredService<Lineage.Runtime.Activation.LocalGrainRuntime>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The silo that owns <paramref name="grainId"/> in this silo's view of its cluster.</summary>
    internal Lineage.Runtime.Cluster.Membership.SiloAddress? OwnerOf(GrainId grainId) =>
        _host.Services.GetRequiredService<Lineage.Runtime.Cluster.SiloCluster>().GetOwner(grainId, out _);

    public static async Task<BenchmarkSilo> StartAsync(Action<SiloBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (Environment.GetEnvironmentVariable("LINEAGE_BENCH_LOG") is { } level)
        {
            // Diagnostics for a benchmark that misbehaves: LINEAGE_BENCH_LOG=Debug writes the silo's log to standard error.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(level));
        }
        builder.Services.AddLineageSilo(silo =>
        {
            silo.AddGrainAssembly(typeof(BenchmarkSilo).Assembly);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchmarkSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
