using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Sqlite;
using Lineage.Runtime.Statistics;

namespace Lineage.Benchmarks.Storage;

/// <summary>Throughput of acknowledged grain-state writes to <see cref="SqliteGrainStorage"/> under concurrency: group commit against
/// one transaction per write, with synchronous FULL and NORMAL.</summary>
/// <remarks>Not a BenchmarkDotNet benchmark: what matters is how many writes per second many concurrent writers get acknowledged
/// (each one durable when acknowledged), which needs a fixed-duration run with all writers live, not per-call timing.
/// Each writer repeatedly updates its own record (so no write conflicts with another) with a fresh version each time.
/// Arguments: <c>--writers N</c> (256), <c>--seconds S</c> measured per scenario (5), <c>--warmup S</c> (1), <c>--payload BYTES</c> (200),
/// <c>--dir PATH</c> for the temporary databases (the system temp directory).</remarks>
public static class StateWriteBenchmark
{
    /// <summary>Runs every scenario and prints a markdown table of the results to standard output.</summary>
    public static async Task RunAsync(string[] args)
    {
        var settings = Settings.Parse(args);
        var scenarios = new (string Commit, int MaxBatchSize, SqliteSynchronousMode Synchronous)[]
        {
            ("group", 1024, SqliteSynchronousMode.Full),
            ("group", 1024, SqliteSynchronousMode.Normal),
            ("per write", 1, SqliteSynchronousMode.Full),
            ("per write", 1, SqliteSynchronousMode.Normal),
        };

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"State write benchmark: {settings.Writers} concurrent writers, {settings.PayloadBytes}-byte payloads, {settings.Warmup.TotalSeconds:0.#} s warm-up + {settings.Duration.TotalSeconds:0.#} s measured per scenario, {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        var results = new List<Result>();
        foreach (var (commit, maxBatchSize, synchronous) in scenarios)
        {
            var result = await RunScenarioAsync(settings, commit, maxBatchSize, synchronous);
            results.Add(result);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {commit} / {synchronous}: {result.WritesPerSecond:N0} writes/s"));
        }

        var table = new StringBuilder();
        table.AppendLine("| commit | synchronous | writers | acknowledged writes | writes/s | transactions | writes/transaction | p50 latency (ms) | p99 latency (ms) | allocated B/write |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Commit} | {r.Synchronous} | {r.Writers} | {r.Writes:N0} | {r.WritesPerSecond:N0} | {r.Transactions:N0} | {r.WritesPerTransaction:N1} | {r.P50Milliseconds:N2} | {r.P99Milliseconds:N2} | {r.AllocatedBytesPerWrite:N0} |"));
        }

        Console.WriteLine(table.ToString());
    }

    private static async Task<Result> RunScenarioAsync(Settings settings, string commit, int maxBatchSize, SqliteSynchronousMode synchronous)
    {
        var directory = Path.Combine(settings.Directory, "lineage-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new SqliteGrainStorageOptions
            {
                DataDirectory = directory,
                Synchronous = synchronous,
                MaxBatchSize = maxBatchSize,
            };
            var storage = new SqliteGrainStorage("Benchmark", options);
            await using (storage)
            {
                // Per-writer counters 16 longs apart, so that writers on different cores do not share a cache line.
                const int Stride = 16;
                var acknowledged = new long[settings.Writers * Stride];
                var latency = new LatencyHistogram();
                var measuring = new RunFlag();
                using var stop = new CancellationTokenSource();
                var writers = new Task[settings.Writers];
                for (var i = 0; i < writers.Length; i++)
                {
                    var index = i;
                    writers[i] = Task.Run(() => WriteLoopAsync(storage, index, settings.PayloadBytes, acknowledged, index * Stride, latency, measuring, stop.Token));
                }

                await Task.Delay(settings.Warmup);
                var writesBefore = Sum(acknowledged);
                var batchesBefore = storage.CommittedBatches;
                var operationsBefore = storage.CommittedOperations;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
                var clock = Stopwatch.StartNew();
                measuring.Value = true;

                await Task.Delay(settings.Duration);

                measuring.Value = false;
                var elapsed = clock.Elapsed;
                var writes = Sum(acknowledged) - writesBefore;
                var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
                var batches = storage.CommittedBatches - batchesBefore;
                var operations = storage.CommittedOperations - operationsBefore;
                await stop.CancelAsync();
                await Task.WhenAll(writers);

                var buckets = latency.Snapshot();
                return new Result(
                    commit,
                    synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL",
                    settings.Writers,
                    writes,
                    writes / elapsed.TotalSeconds,
                    batches,
                    batches == 0 ? 0 : (double)operations / batches,
                    LatencyHistogram.Percentile(buckets, 0.50) / 1000,
                    LatencyHistogram.Percentile(buckets, 0.99) / 1000,
                    writes == 0 ? 0 : allocated / writes);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static async Task WriteLoopAsync(
        SqliteGrainStorage storage, int index, int payloadBytes, long[] acknowledged, int slot, LatencyHistogram latency, RunFlag measuring, CancellationToken stop)
    {
        var grainId = GrainId.Create("benchmark", index);
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);
        long version = 0;
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();

            // The payload array is reused only after the write is acknowledged, as the storage requires.
            version = await storage.WriteAsync(grainId, "state", version, payload, CancellationToken.None);
            if (measuring.Value)
            {
                latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }

            Volatile.Write(ref acknowledged[slot], acknowledged[slot] + 1);
        }
    }

    private static long Sum(long[] counters)
    {
        long sum = 0;
        for (var i = 0; i < counters.Length; i++)
        {
            sum += Volatile.Read(ref counters[i]);
        }

        return sum;
    }

    private sealed class RunFlag
    {
        private volatile bool _value;

        public bool Value
        {
            get => _value;
            set => _value = value;
        }
    }

    private sealed record Result(
        string Commit,
        string Synchronous,
        int Writers,
        long Writes,
        double WritesPerSecond,
        long Transactions,
        double WritesPerTransaction,
        double P50Milliseconds,
        double P99Milliseconds,
        long AllocatedBytesPerWrite);

    private sealed record Settings(int Writers, TimeSpan Duration, TimeSpan Warmup, int PayloadBytes, string Directory)
    {
        public static Settings Parse(string[] args)
        {
            var settings = new Settings(256, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 200, Path.GetTempPath());
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                var value = args[i + 1];
                settings = args[i] switch
                {
                    "--writers" => settings with { Writers = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--seconds" => settings with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                    "--warmup" => settings with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                    "--payload" => settings with { PayloadBytes = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--dir" => settings with { Directory = value },
                    _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Known: --writers, --seconds, --warmup, --payload, --dir."),
                };
            }

            return settings;
        }
    }
}
