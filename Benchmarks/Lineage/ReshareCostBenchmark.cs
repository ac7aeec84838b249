using System.Diagnostics;
using System.Globalization;
using Lineage.Benchmarks.Runtime;
using Lineage.Grains.Intake;
using Lineage.Grains.Posts;
using Lineage.Runtime.Hosting;

namespace Lineage.Benchmarks.Domain;

/// <summary>Registers N reshares of one post and compares the cost of the first block of reshares with that of the last: with growing
/// relations kept as appended edge rows, the millionth reshare should cost about what the first did.</summary>
internal static class ReshareCostBenchmark
{
    private const int Block = 10_000;
    private const int Concurrency = 256;

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var directory = Path.Combine(Path.GetTempPath(), "lineage-reshare-bench", Guid.NewGuid().ToString("N"));
        try
        {
            await using var silo = await BenchmarkSilo.StartAsync(s =>
            {
                s.AddGrainAssembly(typeof(PostGrain).Assembly);
                s.AddSqliteGrainStorage(configure: o => o.DataDirectory = directory);
                s.AddSqliteEdgeStore();

                // A million reshares are a million post activations; idle ones are collected so that memory stays flat.
                s.Configure(o => o.MaxActivations = 50_000);
            });
            var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            await silo.Grains.GetGrain<IPostGrain>("twitter/warmup").Register(new Sighting("twitter", "warmup", "a", t0));
            await RegisterBlockAsync(silo, "warmup", 0, t0);
            await silo.Grains.GetGrain<IPostGrain>("twitter/root").Register(new Sighting("twitter", "root", "origin", t0));

            var blocks = new List<(int Start, double Seconds, double P50, double P99)>();
            for (var start = 0; start < count; start += Block)
            {
                var (seconds, p50, p99) = await RegisterBlockAsync(silo, "root", start, t0);
                blocks.Add((start, seconds, p50, p99));
                if (start == 0 || (start + Block) % 100_000 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"reshares {start + 1:N0}-{start + Block:N0}: {Block / seconds:N0}/s, p50 {p50:0.00} ms, p99 {p99:0.00} ms"));
                }
            }

            var first = blocks[0];
            var last = blocks[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"first block {first.Seconds * 1e6 / Block:0.0} µs/reshare, last block (ending at {last.Start + Block:N0}) {last.Seconds * 1e6 / Block:0.0} µs/reshare; " +
                $"ratio {last.Seconds / first.Seconds:0.00} (p50 ratio {last.P50 / first.P50:0.00})"));
            var children = await silo.Grains.GetGrain<IPostGrain>("twitter/root").GetChildren(null, 1);
            Console.WriteLine($"root's first child: {children.Keys[0]}, more after it: {children.NextCursor is not null}");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<(double Seconds, double P50, double P99)> RegisterBlockAsync(BenchmarkSilo silo, string parent, int start, DateTimeOffset t0)
    {
        var latencies = new double[Block];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Block)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{parent}-{start + i:D7}");
                var began = Stopwatch.GetTimestamp();
                var result = await silo.Grains.GetGrain<IPostGrain>("twitter/" + id)
                    .Register(new Sighting("twitter", id, "u" + ((start + i) % 50_000).ToString(CultureInfo.InvariantCulture), t0.AddSeconds(start + i), parent));
                latencies[i] = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                if (result.Outcome != RegistrationOutcome.Accepted)
                {
                    throw new InvalidOperationException($"Reshare {id} was not accepted: {result.Outcome} {result.Reason}");
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (seconds, latencies[Block / 2], latencies[Block * 99 / 100]);
    }
}
