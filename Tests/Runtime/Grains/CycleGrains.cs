using Lineage.Runtime;

namespace Lineage.Tests.Runtime.Grains;

public interface ICycleGrain : IGrainWithStringKey
{
    /// <summary>Calls the first grain of <paramref name="path"/> with the rest of it; the last one answers with the route taken.</summary>
    Task<string> Relay(string[] path);
}

public sealed class CycleGrain : Grain, ICycleGrain
{
    public async Task<string> Relay(string[] path)
    {
        if (path.Length == 0)
        {
            return GetPrimaryKeyString();
        }

        var next = GrainFactory.GetGrain<ICycleGrain>(path[0]);
        return GetPrimaryKeyString() + ">" + await next.Relay(path[1..]);
    }
}

public interface IReentrantCycleGrain : IGrainWithStringKey
{
    Task<string> Relay(string[] path);
}

[Reentrant]
public sealed class ReentrantCycleGrain : Grain, IReentrantCycleGrain
{
    public async Task<string> Relay(string[] path)
    {
        if (path.Length == 0)
        {
            return GetPrimaryKeyString();
        }

        var next = GrainFactory.GetGrain<IReentrantCycleGrain>(path[0]);
        return GetPrimaryKeyString() + ">" + await next.Relay(path[1..]);
    }
}
