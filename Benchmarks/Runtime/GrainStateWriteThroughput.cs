using System.Diagnostics;
using System.Globalization;
using Lineage.Runtime;
using Lineage.Runtime.Hosting;
using Lineage.Runtime.Persistence;

namespace Lineage.Benchmarks.Runtime;

public interface IWriterGrain : IGrainWithIntegerKey
{
    Task<int> Increment();
}

/// <summary>Writes its state on every call, as a grain recording a sighting would.</summary>
public sealed class WriterGrain([PersistentState("count")] IPersistentState<WriterState> state) : Grain, IWriterGrain
{
    public async Task<int> Increment()
    {
        state.State.Count++;
        state.State.Note = "sighting #" + state.State.Count.ToString(CultureInfo.InvariantCulture);
        await state.WriteStateAsync();
        return state.State.Count;
    }
}

public sealed class WriterState
{
    public int Count { get; set; }

    public string Note { get; set; } = string.Empty;
}

/// <summary>End-to-end durable writes through grains: grain call, JSON, versioned write, group commit, acknowledgement.</summary>
internal static class GrainStateWriteThroughput
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        const int Grains = 256;
        Console.WriteLine($"# Acknowledged state writes through grains ({Grains} grains, one caller each, {seconds:0.#} s, SQLite Synchronous=FULL)");
        Console.WriteLine();
        Console.WriteLine("| commit | writes/s | p50 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, batch) in new[] { ("group commit", 1024), ("one transaction per write", 1) })
        {
            var directory = Path.Combine(Path.GetTempPath(), "lineage-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                var (rate, p50, p99) = await RunAsync(directory, batch, Grains, TimeSpan.FromSeconds(seconds));
                Console.WriteLine($"| {name} | {rate:N0} | {p50:0.00} ms | {p99:0.00} ms |");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<(double Rate, double P50, double P99)> RunAsync(string directory, int maxBatchSize, int grains, TimeSpan duration)
    {
        await using var silo = await BenchmarkSilo.StartAsync(builder => builder.AddSqliteGrainStorage(configure: o =>
        {
            o.DataDirectory = directory;
            o.MaxBatchSize = maxBatchSize;
        }));
        var factory = silo.Grains;
        var references = Enumerable.Range(0, grains).Select(i => factory.GetGrain<IWriterGrain>(i)).ToArray();
        await Task.WhenAll(references.Select(g => g.Increment()));

        var latencies = new List<long>[grains];
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(references.Select(async (grain, i) =>
        {
            var mine = latencies[i] = new List<long>(100_000);
            while (stopwatch.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await grain.Increment();
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        }));
        var elapsed = stopwatch.Elapsed;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Milliseconds(double q) => all[(int)Math.Min(all.Length - 1, q * all.Length)] * 1000.0 / Stopwatch.Frequency;
        return (all.Length / elapsed.TotalSeconds, Milliseconds(0.5), Milliseconds(0.99));
    }
}
