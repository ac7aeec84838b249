using System.Globalization;

namespace Lineage.Benchmarks.Runtime;

/// <summary>Managed memory held per idle activation of an empty grain, over 100,000 activations.</summary>
internal static class ActivationMemory
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        await using var silo = await BenchmarkSilo.StartAsync();

        // Warm everything that is allocated once (type loading, pools, the first activation) before the baseline.
        await silo.Grains.GetGrain<IPingGrain>(-1).Ping();
        var before = SettledHeapBytes();
        for (var start = 0; start < count; start += 1000)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => silo.Grains.GetGrain<IPingGrain>(i).Ping().AsTask()));
        }

        var after = SettledHeapBytes();
        var perActivation = (after - before) / (double)count;

        // What a grain and its id cost regardless of the runtime: the empty grain object and the key string.
        var grainObject = 24.0; // object header + method table + the Grain base's one reference
        var keyString = 22 + (2 * (count - 1).ToString(CultureInfo.InvariantCulture).Length) + 6.0;
        Console.WriteLine($"# Memory per idle activation ({count:N0} activations of an empty grain)");
        Console.WriteLine();
        Console.WriteLine("| measure | bytes |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| managed heap growth per activation | {perActivation:N0} |");
        Console.WriteLine($"| of which the empty grain object (estimated) | {grainObject:N0} |");
        Console.WriteLine($"| of which the key string (estimated) | {keyString:N0} |");
        Console.WriteLine($"| runtime overhead per activation | {perActivation - grainObject - keyString:N0} |");
        Console.WriteLine($"| activations in the catalog | {silo.Runtime.Catalog.Count:N0} |");
    }

    private static long SettledHeapBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
