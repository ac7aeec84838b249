using System.Globalization;
using Lineage.Benchmarks.Runtime;

namespace Lineage.Benchmarks.Cluster;

/// <summary>Calls/s from one silo process to grains owned by another over the silo-to-silo connection, with 64 and 256 closed-loop
/// callers (one grain each, so the receiving silo's scheduler is not the bottleneck), then latency at half the 64-caller rate.</summary>
internal static class CrossSiloCalls
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var duration = TimeSpan.FromSeconds(seconds);
        await using var cluster = await BenchmarkCluster.StartAsync();
        var grains = cluster.KeysOnRemote<IPingGrain>(256).Select(k => cluster.Local.Grains.GetGrain<IPingGrain>(k)).ToArray();
        foreach (var grain in grains)
        {
            await grain.Ping();
        }

        // Every call must cross: had any grain been placed in this process, the figures would be local calls.
        if (cluster.Local.Runtime.Catalog.Count != 0)
        {
            throw new InvalidOperationException($"{cluster.Local.Runtime.Catalog.Count} benchmark grains were activated in the calling process.");
        }

        Console.WriteLine($"# Cross-silo calls between two silo processes on loopback ({Environment.ProcessorCount} cores, {seconds:0.#} s per run)");
        Console.WriteLine();
        Console.WriteLine("| callers | calls/s |");
        Console.WriteLine("|---:|---:|");
        double rate64 = 0;
        foreach (var callers in new[] { 1, 64, 256 })
        {
            await CallLoad.ClosedLoopAsync(c => grains[c].Ping(), callers, TimeSpan.FromSeconds(2)); // warm-up: tiering, pools, buffers
            var rate = await CallLoad.ClosedLoopAsync(c => grains[c].Ping(), callers, duration);
            Console.WriteLine($"| {callers} | {rate:N0} |");
            if (callers == 64)
            {
                rate64 = rate;
            }
        }

        Console.WriteLine();
        Console.WriteLine("Open-loop latency across processes (one sender thread, latency from each call's scheduled send time):");
        Console.WriteLine();
        Console.WriteLine("| target calls/s | achieved calls/s | p50 | p99 | p99.9 |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var target in new[] { rate64 / 2, rate64 / 4 })
        {
            var (achieved, p50, p99, p999) = await CallLoad.OpenLoopLatencyAsync(i => grains[i & 255].Ping(), target, duration);
            Console.WriteLine($"| {target:N0} | {achieved:N0} | {BenchmarkCluster.Format(p50)} | {BenchmarkCluster.Format(p99)} | {BenchmarkCluster.Format(p999)} |");
        }
    }
}
