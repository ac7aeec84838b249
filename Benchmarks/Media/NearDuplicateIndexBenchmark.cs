using System.Diagnostics;
using System.Globalization;
using Lineage.Benchmarks.Runtime;
using Lineage.Grains.Similarity;
using Lineage.Media.Pdq;
using Lineage.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Lineage.Benchmarks.Media;

/// <summary>Near-duplicate lookups/s and memory with N synthetic PDQ hashes indexed through the partition grains (durable, SQLite FULL),
/// then the time a restarted silo takes to reload them.</summary>
/// <remarks>Hashes are uniformly random, except that every 1,000th is a "planted" original followed by four near-duplicates of it
/// (4–28 random bits flipped). Half the lookups are fresh near-duplicates of planted originals (≤ 20 bits flipped: the original must be
/// found), half are random hashes (which find nothing): the index must answer both, and misses cost as much as hits.</remarks>
internal static class NearDuplicateIndexBenchmark
{
    private const int BatchSize = 50_000;
    private const int PlantEvery = 1_000;

    public static async Task RunAsync(string[] args)
    {
        var hashes = BenchmarkArguments.Integer(args, "--hashes", 1_000_000);
        var seconds = BenchmarkArguments.Integer(args, "--seconds", 10);
        var callers = BenchmarkArguments.Integer(args, "--callers", 8);
        var partitions = BenchmarkArguments.Integer(args, "--partitions", new NearDuplicateIndexOptions().Partitions);
        var directory = Directory.CreateTempSubdirectory("lineage-pdq-index-");
        var options = new NearDuplicateIndexOptions { Partitions = partitions };
        void Configure(SiloBuilder silo) => silo
            .AddSqliteGrainStorage(configure: o => o.DataDirectory = directory.FullName)
            .AddNearDuplicateIndex(o => o.Partitions = partitions);
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# Near-duplicate index: {hashes:N0} hashes, {partitions} partitions, threshold {options.Threshold}, {Environment.ProcessorCount} cores"));
            Console.WriteLine();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            List<PdqHash> planted;
            await using (var silo = await BenchmarkSilo.StartAsync(Configure))
            {
                var index = new NearDuplicateIndex(silo.Grains, Options.Create(options));
                var load = Stopwatch.StartNew();
                planted = await LoadAsync(index, hashes);
                load.Stop();
                var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"- load (durable, batches of {BatchSize:N0}): {load.Elapsed.TotalSeconds:0.0} s, {hashes / load.Elapsed.TotalSeconds:N0} hashes/s"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"- managed heap held by the index: {heap / 1e9:0.00} GB ({(double)heap / hashes:0} B per hash); process working set {Environment.WorkingSet / 1e9:0.00} GB"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"- SQLite file: {new DirectoryInfo(directory.FullName).GetFiles().Sum(f => f.Length) / 1e9:0.00} GB"));

                await LookupsAsync(index, planted, callers, TimeSpan.FromSeconds(1), print: false);
                await LookupsAsync(index, planted, callers, TimeSpan.FromSeconds(seconds), print: true);

                // The same table after the collector has compacted the heap: separates the cost of where the buckets ended up in
                // memory after growing one by one from the cost of the search itself.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"- after a compacting full collection: working set {Environment.WorkingSet / 1e9:0.00} GB"));
                await LookupsAsync(index, planted, callers, TimeSpan.FromSeconds(seconds), print: true);
            }

            // Partitions load in the background after activating and Count waits for the load; reloading millions of hashes takes
            // longer than the default 30 s request timeout, so the waiting calls get longer.
            await using var restarted = await BenchmarkSilo.StartAsync(silo =>
            {
                Configure(silo);
                silo.Configure(o => o.RequestTimeout = TimeSpan.FromMinutes(30));
            });
            var reload = Stopwatch.StartNew();
            var heapBeforeReload = GC.GetTotalMemory(forceFullCollection: true);
            await Task.WhenAll(NearDuplicatePartitionKey.All(partitions)
                .Select(key => restarted.Grains.GetGrain<INearDuplicatePartitionGrain>(key.ToString()).Count()));
            reload.Stop();
            var reloadedHeap = GC.GetTotalMemory(forceFullCollection: true) - heapBeforeReload;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- restart: all partitions reloaded from storage in {reload.Elapsed.TotalSeconds:0.0} s; heap held {reloadedHeap / 1e9:0.00} GB ({(double)reloadedHeap / hashes:0} B per hash), working set {Environment.WorkingSet / 1e9:0.00} GB"));
            var reopened = new NearDuplicateIndex(restarted.Grains, Options.Create(options));
            await LookupsAsync(reopened, planted, callers, TimeSpan.FromSeconds(seconds), print: true);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<List<PdqHash>> LoadAsync(NearDuplicateIndex index, int count)
    {
        var random = new Random(20251123);
        var planted = new List<PdqHash>();
        var batch = new List<PdqHash>(BatchSize);
        for (var i = 0; i < count; i++)
        {
            if (i % PlantEvery == 0 && i + 5 <= count)
            {
                var original = SyntheticHashes.Random(random);
                planted.Add(original);
                batch.Add(original);
                for (var variant = 0; variant < 4; variant++)
                {
                    batch.Add(SyntheticHashes.Flip(original, random, random.Next(4, 29)));
                }

                i += 4;
            }
            else
            {
                batch.Add(SyntheticHashes.Random(random));
            }

            if (batch.Count >= BatchSize)
            {
                await index.AddHashesAsync(batch);
                batch.Clear();
            }
        }

        await index.AddHashesAsync(batch);
        return planted;
    }

    private static async Task LookupsAsync(NearDuplicateIndex index, List<PdqHash> planted, int callers, TimeSpan duration, bool print)
    {
        long lookups = 0;
        long matches = 0;
        long plantedQueries = 0;
        long plantedFound = 0;
        var latencies = new List<double>[callers];
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async c =>
        {
            await Task.Yield();
            var random = new Random(c);
            var mine = latencies[c] = [];
            while (stopwatch.Elapsed < duration)
            {
                var isPlanted = random.Next(2) == 0;
                var original = planted[random.Next(planted.Count)];
                var query = isPlanted ? SyntheticHashes.Flip(original, random, random.Next(0, 21)) : SyntheticHashes.Random(random);
                var started = Stopwatch.GetTimestamp();
                var found = await index.FindHashesAsync(query, 31);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                Interlocked.Increment(ref lookups);
                Interlocked.Add(ref matches, found.Count);
                if (isPlanted)
                {
                    Interlocked.Increment(ref plantedQueries);
                    if (found.Any(f => f.Hash == original))
                    {
                        Interlocked.Increment(ref plantedFound);
                    }
                }
            }
        }));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        if (!print)
        {
            return;
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- lookups ({callers} concurrent callers, {duration.TotalSeconds:0} s): {lookups / elapsed:N0}/s, p50 {all[all.Length / 2] / 1000:0.00} ms, " +
            $"p99 {all[(int)(all.Length * 0.99)] / 1000:0.00} ms, {(double)matches / lookups:0.00} matches per lookup, " +
            $"planted originals found {plantedFound:N0}/{plantedQueries:N0}"));
    }
}
