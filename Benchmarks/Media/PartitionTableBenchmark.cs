using System.Diagnostics;
using System.Globalization;
using Lineage.Grains.Similarity;
using Lineage.Media.Pdq;

namespace Lineage.Benchmarks.Media;

/// <summary>The near-duplicate search inside one partition's table, without grains or storage: how the in-memory layout alone costs,
/// per query and per hash, for N random hashes split over P tables as the index would split them.</summary>
internal static class PartitionTableBenchmark
{
    public static void Run(string[] args)
    {
        var hashes = BenchmarkArguments.Integer(args, "--hashes", 10_000_000);
        var partitions = BenchmarkArguments.Integer(args, "--partitions", new NearDuplicateIndexOptions().Partitions);
        var queries = BenchmarkArguments.Integer(args, "--queries", 2_000);
        var random = new Random(20251123);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var tables = Enumerable.Range(0, partitions).Select(_ => new PartitionTable()).ToArray();
        var stored = new PdqHash[Math.Min(hashes, 100_000)];
        var load = Stopwatch.StartNew();
        for (var i = 0; i < hashes; i++)
        {
            var hash = SyntheticHashes.Random(random);
            var table = tables[NearDuplicatePartitionKey.For(hash, partitions).Index];
            table.Add(hash);
            if (i % 5_000 == 0)
            {
                table.Maintain(); // as the grain does once per add call
            }
            if (i < stored.Length)
            {
                stored[i] = hash;
            }
        }

        load.Stop();
        var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore - (stored.Length * 32L);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# Partition tables: {hashes:N0} random hashes in {partitions} tables; added in {load.Elapsed.TotalSeconds:0.0} s; heap {heap / 1e9:0.00} GB ({(double)heap / hashes:0} B per hash)"));

        var masks = SlotProbes.Masks(1);
        var matches = new List<HashDistance>();
        for (var round = 0; round < 3; round++)
        {
            var found = 0L;
            var watch = Stopwatch.StartNew();
            for (var q = 0; q < queries; q++)
            {
                var query = SyntheticHashes.Flip(stored[random.Next(stored.Length)], random, 20);
                foreach (var table in tables)
                {
                    matches.Clear();
                    table.Match(query, 31, masks, matches);
                    found += matches.Count;
                }
            }

            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- {watch.Elapsed.TotalMicroseconds / queries:0} µs per query on one thread ({queries / watch.Elapsed.TotalSeconds:N0}/s), {(double)found / queries:0.00} matches per query"));
        }
    }
}
