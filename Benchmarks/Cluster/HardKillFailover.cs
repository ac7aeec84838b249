using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Lineage.Benchmarks.Runtime;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;

namespace Lineage.Benchmarks.Cluster;

/// <summary>Kills the silo process that owns a set of durable counters while writers keep incrementing them, with the default
/// cluster settings; reports the time from the kill to the first successful call to one of its grains and, afterwards, how many
/// acknowledged increments are missing (each counter must hold at least every increment its writer saw acknowledged).</summary>
internal static class HardKillFailover
{
    public static async Task RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        Console.WriteLine($"# Hard kill (SIGKILL) of one of two silo processes, default cluster settings ({Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| round | grains on the killed silo | acknowledged writes before the kill | kill → first successful call | kill → all its grains answered | acknowledged writes lost |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= rounds; round++)
        {
            await RunRoundAsync(round);
        }
    }

    private static async Task RunRoundAsync(int round)
    {
        await using var cluster = await BenchmarkCluster.StartAsync();
        var keys = cluster.KeysOnRemote<IWriterGrain>(32);
        var acknowledged = new ConcurrentDictionary<long, int>(keys.Select(k => KeyValuePair.Create(k, 0)));
        using var stop = new CancellationTokenSource();
        long killedAt = 0;
        long deadAt = 0;
        var firstSuccess = new ConcurrentDictionary<long, long>();

        var writers = keys.Select(key => Task.Run(async () =>
        {
            var grain = cluster.Local.Grains.GetGrain<IWriterGrain>(key);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var value = await grain.Increment();
                    acknowledged.AddOrUpdate(key, value, (_, old) => Math.Max(old, value));

                    // Only a call sent after the process was gone proves a survivor serves the grain.
                    var dead = Volatile.Read(ref deadAt);
                    if (dead != 0 && started > dead)
                    {
                        firstSuccess.TryAdd(key, Stopwatch.GetTimestamp());
                    }
                }
                catch (Exception exception) when (exception is SiloUnavailableException or GrainCallTimeoutException or InconsistentStateException)
                {
                    // Not acknowledged; the writer backs off briefly, as a real client would, and tries again.
                    await Task.Delay(20);
                }
            }
        })).ToList();

        var warmUp = Stopwatch.StartNew();
        while (acknowledged.Values.Any(v => v < 20))
        {
            if (warmUp.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The writers did not reach 20 acknowledged writes per grain within 60 s before the kill.");
            }

            await Task.Delay(10);
        }

        var before = acknowledged.Values.Sum();
        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
        cluster.KillRemote();
        Volatile.Write(ref deadAt, Stopwatch.GetTimestamp());

        var deadline = Stopwatch.StartNew();
        while (firstSuccess.Count < keys.Count && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var lost = 0;
        if (firstSuccess.Count == keys.Count)
        {
            foreach (var key in keys)
            {
                var value = await cluster.Local.Grains.GetGrain<IWriterGrain>(key).Increment() - 1;
                lost += Math.Max(0, acknowledged[key] - value);
            }
        }

        var kill = Volatile.Read(ref killedAt);
        string Since(long at) => BenchmarkCluster.Format(Stopwatch.GetElapsedTime(kill, at).TotalMicroseconds);
        var first = firstSuccess.IsEmpty ? "none in 60 s" : Since(firstSuccess.Values.Min());
        var all = firstSuccess.Count == keys.Count ? Since(firstSuccess.Values.Max()) : $"{firstSuccess.Count}/{keys.Count} in 60 s";
        var lostText = firstSuccess.Count == keys.Count ? lost.ToString(CultureInfo.InvariantCulture) : "not checked: grains unreachable";
        Console.WriteLine($"| {round} | {keys.Count} | {before:N0} | {first} | {all} | {lostText} |");
    }
}
