using System.Diagnostics;
using System.Globalization;

namespace Lineage.Benchmarks.Runtime;

/// <summary>Local calls/s to one activated grain with 1 and 64 closed-loop callers, then latency under an open-loop load
/// of half the 64-caller rate (latency counted from each call's scheduled send time, so a stalled sender is not hidden).</summary>
internal static class LocalCallThroughput
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        await using var silo = await BenchmarkSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IPingGrain>(1);
        await grain.Ping();

        Console.WriteLine($"# Local calls to one activated grain ({Environment.ProcessorCount} cores, {seconds:0.#} s per run)");
        Console.WriteLine();
        Console.WriteLine("| callers | calls/s |");
        Console.WriteLine("|---:|---:|");
        double rate64 = 0;
        foreach (var callers in new[] { 1, 64 })
        {
            await ClosedLoopAsync(grain, callers, TimeSpan.FromSeconds(1)); // warm-up: tiering and pools
            var rate = await ClosedLoopAsync(grain, callers, TimeSpan.FromSeconds(seconds));
            Console.WriteLine($"| {callers} | {rate:N0} |");
            if (callers == 64)
            {
                rate64 = rate;
            }
        }

        // Half the 64-caller rate is what the issue asks for; on two cores one sender thread cannot always issue that
        // many calls, so lower fixed rates are measured as well, where the sender keeps its schedule.
        Console.WriteLine();
        Console.WriteLine("Open-loop latency (one sender thread, latency from each call's scheduled send time):");
        Console.WriteLine();
        Console.WriteLine("| target calls/s | achieved calls/s | p50 | p99 | p99.9 |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var target in new[] { rate64 / 2, 1_000_000, 500_000 })
        {
            var (achieved, p50, p99, p999) = await OpenLoopLatencyAsync(grain, target, TimeSpan.FromSeconds(seconds));
            Console.WriteLine($"| {target:N0} | {achieved:N0} | {Format(p50)} | {Format(p99)} | {Format(p999)} |");
        }
    }

    private static string Format(double microseconds) =>
        microseconds < 1000 ? $"{microseconds:0.0} µs" : $"{microseconds / 1000:0.0} ms";

    private static async Task<double> ClosedLoopAsync(IPingGrain grain, int callers, TimeSpan duration)
    {
        long total = 0;
        var stopwatch = Stopwatch.StartNew();
        var stopAt = duration.Ticks;
        var workers = Enumerable.Range(0, callers).Select(async _ =>
        {
            await Task.Yield();
            long count = 0;
            while (stopwatch.Elapsed.Ticks < stopAt)
            {
                for (var i = 0; i < 256; i++)
                {
                    await grain.Ping();
                }

                count += 256;
            }

            Interlocked.Add(ref total, count);
        }).ToArray();
        await Task.WhenAll(workers);
        return total / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Achieved, double P50, double P99, double P999)> OpenLoopLatencyAsync(IPingGrain grain, double rate, TimeSpan duration)
    {
        var expected = (int)(rate * duration.TotalSeconds);
        var latencies = new long[expected];
        var completed = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ticksPerCall = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();

        // One sender thread issues calls on schedule without waiting for them; completions record their own latency.
        var sender = new Thread(() =>
        {
            for (var sent = 0; sent < expected;)
            {
                var due = (int)Math.Min(expected, (Stopwatch.GetTimestamp() - start) / ticksPerCall);
                for (; sent < due; sent++)
                {
                    var scheduled = start + (long)(sent * ticksPerCall);
                    var index = sent;
                    var call = grain.Ping();
                    if (call.IsCompletedSuccessfully)
                    {
                        Record(index, scheduled);
                    }
                    else
                    {
                        var awaiter = call.GetAwaiter();
                        awaiter.UnsafeOnCompleted(() => Record(index, scheduled));
                    }
                }

                Thread.SpinWait(20);
            }
        })
        { IsBackground = true, Name = "open-loop sender" };
        sender.Start();
        await allDone.Task;
        var elapsed = Stopwatch.GetElapsedTime(start);
        Array.Sort(latencies);
        double Micro(double q) => latencies[(int)Math.Min(latencies.Length - 1, q * latencies.Length)] * 1_000_000.0 / Stopwatch.Frequency;
        return (expected / elapsed.TotalSeconds, Micro(0.50), Micro(0.99), Micro(0.999));

        void Record(int index, long scheduled)
        {
            latencies[index] = Stopwatch.GetTimestamp() - scheduled;
            if (Interlocked.Increment(ref completed) == expected)
            {
                allDone.TrySetResult();
            }
        }
    }
}
