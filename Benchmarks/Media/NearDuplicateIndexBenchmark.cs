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
        var hashes = Argument(args, "--hashes", 1_000_000);
        var seconds = Argument(args, "--seconds", 10);
        var callers = Argument(args, "--callers", 8);
        var partitions = Argument(args, "--partitions", new NearDuplicateIndexOptions().Partitions);
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
                var original = RandomHash(random);
                planted.Add(original);
                batch.Add(original);
                for (var variant = 0; variant < 4; variant++)
                {
                    batch.Add(Flip(original, random, random.Next(4, 29)));
                }

                i += 4;
            }
            else
            {
                batch.Add(RandomHash(random));
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
                var query = isPlanted ? Flip(original, random, random.Next(0, 21)) : RandomHash(random);
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

    private static PdqHash RandomHash(Random random) =>
        new((ulong)random.NextInt64() ^ ((ulong)random.Next() << 63), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63),
            (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63));

    private static PdqHash Flip(PdqHash hash, Random random, int bits)
    {
        Span<ulong> words = [hash.W0, hash.W1, hash.W2, hash.W3];
        var flipped = new HashSet<int>();
        while (flipped.Count < bits)
        {
            var bit = random.Next(256);
            if (flipped.Add(bit))
            {
                words[bit / 64] ^= 1UL << (bit % 64);
            }
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    private static int Argument(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
