using Lineage.Runtime;

namespace Lineage.Benchmarks.Runtime;

public interface IPingGrain : IGrainWithIntegerKey
{
    ValueTask Ping();

    Task<int> Echo(int value);
}

/// <summary>Does nothing, so that what is measured is the runtime's own cost per call and per activation.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    public ValueTask Ping() => default;

    public Task<int> Echo(int value) => Task.FromResult(value);
}
