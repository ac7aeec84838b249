using System.Diagnostics;

namespace Lineage.Benchmarks.Runtime;

/// <summary>Drives grain calls two ways: closed loop (N callers, each awaiting its call before the next: the peak rate) and open
/// loop (calls sent on a fixed schedule without waiting; latency counted from each call's scheduled send time, so a stalled
/// sender is not hidden).</summary>
internal static class CallLoad
{
    /// <summary>Calls/s with <paramref name="callers"/> closed-loop callers; <paramref name="call"/> gets the caller's index.</summary>
    public static async Task<double> ClosedLoopAsync(Func<int, ValueTask> call, int callers, TimeSpan duration)
    {
        long total = 0;
        var stopwatch = Stopwatch.StartNew();
        var stopAt = duration.Ticks;
        var workers = Enumerable.Range(0, callers).Select(async caller =>
        {
            await Task.Yield();
            long count = 0;
            while (stopwatch.Elapsed.Ticks < stopAt)
            {
                for (var i = 0; i < 256; i++)
                {
                    await call(caller);
                }

                count += 256;
            }

            Interlocked.Add(ref total, count);
        }).ToArray();
        await Task.WhenAll(workers);
        return total / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Sends <paramref name="rate"/> calls/s from one thread for <paramref name="duration"/>; <paramref name="call"/> gets the call's
    /// sequence number. Returns the achieved rate and latency percentiles in microseconds.</summary>
    public static async Task<(double Achieved, double P50, double P99, double P999)> OpenLoopLatencyAsync(Func<int, ValueTask> call, double rate, TimeSpan duration)
    {
        var expected = (int)(rate * duration.TotalSeconds);
        var latencies = new long[expected];
        var completed = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ticksPerCall = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();

        var sender = new Thread(() =>
        {
            for (var sent = 0; sent < expected;)
            {
                var due = (int)Math.Min(expected, (Stopwatch.GetTimestamp() - start) / ticksPerCall);
                for (; sent < due; sent++)
                {
                    var scheduled = start + (long)(sent * ticksPerCall);
                    var index = sent;
                    var pending = call(index);
                    if (pending.IsCompletedSuccessfully)
                    {
                        Record(index, scheduled);
                    }
                    else
                    {
                        var awaiter = pending.GetAwaiter();
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
