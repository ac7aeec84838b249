using BenchmarkDotNet.Attributes;

namespace Lineage.Benchmarks.Runtime;

/// <summary>Cost and allocations of one local call to an activated grain, awaited by a single caller.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LocalCallBenchmarks
{
    private BenchmarkSilo? _silo;
    private IPingGrain _grain = null!;

    [GlobalSetup]
    public void Setup()
    {
        _silo = BenchmarkSilo.StartAsync().GetAwaiter().GetResult();
        _grain = _silo.Grains.GetGrain<IPingGrain>(1);
        _grain.Ping().AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A ValueTask method: the request object is the only allocation of the call.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task PingValueTask()
    {
        for (var i = 0; i < 1000; i++)
        {
            await _grain.Ping();
        }
    }

    /// <summary>A Task&lt;int&gt; method: the request plus the Task the interface promises.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task<int> EchoTask()
    {
        var sum = 0;
        for (var i = 0; i < 1000; i++)
        {
            sum += await _grain.Echo(i);
        }

        return sum;
    }
}
