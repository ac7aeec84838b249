using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Statistics;

namespace Lineage.Benchmarks.Storage;

/// <summary>The harness shared by the storage write benchmarks: many concurrent writers, each repeatedly updating its own record (so
/// no write conflicts with another) with a fresh version, counted only once acknowledged (durable).</summary>
/// <remarks>Not BenchmarkDotNet: what matters is how many writes per second many concurrent writers get acknowledged, which needs a
/// fixed-duration run with all writers live, not per-call timing.</remarks>
internal static class WriteLoad
{
    /// <summary>Runs the load against <paramref name="storage"/>: warm-up, then the measured period.</summary>
    /// <param name="storage">The storage under test, freshly opened on an empty database.</param>
    /// <param name="counters">Reads the storage's committed transactions and operations so far.</param>
    /// <param name="settings">Writers, payload size and durations.</param>
    public static async Task<WriteLoadResult> MeasureAsync(IGrainStorage storage, Func<(long Batches, long Operations)> counters, WriteLoadSettings settings)
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
        var (batchesBefore, operationsBefore) = counters();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        measuring.Value = true;

        await Task.Delay(settings.Duration);

        measuring.Value = false;
        var elapsed = clock.Elapsed;
        var writes = Sum(acknowledged) - writesBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var (batchesAfter, operationsAfter) = counters();
        var batches = batchesAfter - batchesBefore;
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var buckets = latency.Snapshot();
        return new WriteLoadResult(
            settings.Writers,
            writes,
            writes / elapsed.TotalSeconds,
            batches,
            batches == 0 ? 0 : (double)(operationsAfter - operationsBefore) / batches,
            LatencyHistogram.Percentile(buckets, 0.50) / 1000,
            LatencyHistogram.Percentile(buckets, 0.99) / 1000,
            writes == 0 ? 0 : allocated / writes);
    }

    /// <summary>A markdown table of results, one row per scenario; <paramref name="settingHeader"/> names the column that tells the
    /// scenarios of one commit mode apart.</summary>
    public static string FormatTable(string settingHeader, IEnumerable<(string Commit, string Setting, WriteLoadResult Result)> rows)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| commit | {settingHeader} | writers | acknowledged writes | writes/s | transactions | writes/transaction | p50 latency (ms) | p99 latency (ms) | allocated B/write |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (commit, setting, r) in rows)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {commit} | {setting} | {r.Writers} | {r.Writes:N0} | {r.WritesPerSecond:N0} | {r.Transactions:N0} | {r.WritesPerTransaction:N1} | {r.P50Milliseconds:N2} | {r.P99Milliseconds:N2} | {r.AllocatedBytesPerWrite:N0} |"));
        }

        return table.ToString();
    }

    private static async Task WriteLoopAsync(
        IGrainStorage storage, int index, int payloadBytes, long[] acknowledged, int slot, LatencyHistogram latency, RunFlag measuring, CancellationToken stop)
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
}

/// <summary>What one scenario of <see cref="WriteLoad"/> measured.</summary>
internal sealed record WriteLoadResult(
    int Writers,
    long Writes,
    double WritesPerSecond,
    long Transactions,
    double WritesPerTransaction,
    double P50Milliseconds,
    double P99Milliseconds,
    long AllocatedBytesPerWrite);

/// <summary>Arguments of the storage write benchmarks: <c>--writers N</c> (256), <c>--seconds S</c> measured per scenario (5),
/// <c>--warmup S</c> (1), <c>--payload BYTES</c> (200), <c>--dir PATH</c> for temporary databases and servers (the system temp
/// directory), <c>--connection STRING</c> for an existing PostgreSQL server (pg-writes only; else it starts its own).</summary>
internal sealed record WriteLoadSettings(int Writers, TimeSpan Duration, TimeSpan Warmup, int PayloadBytes, string Directory, string? Connection)
{
    public static WriteLoadSettings Parse(string[] args)
    {
        var settings = new WriteLoadSettings(256, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 200, Path.GetTempPath(), null);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Argument '{args[i]}' has no value.");
            }

            var value = args[i + 1];
            settings = args[i] switch
            {
                "--writers" => settings with { Writers = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--warmup" => settings with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--payload" => settings with { PayloadBytes = int.Parse(value, CultureInfo.InvariantCulture) },
                "--dir" => settings with { Directory = value },
                "--connection" => settings with { Connection = value },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Known: --writers, --seconds, --warmup, --payload, --dir, --connection."),
            };
        }

        return settings;
    }

    /// <summary>One line describing the load, for the top of a report.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Writers} concurrent writers, {PayloadBytes}-byte payloads, {Warmup.TotalSeconds:0.#} s warm-up + {Duration.TotalSeconds:0.#} s measured per scenario, {Environment.ProcessorCount} cores");
}
