using Lineage.Runtime;

namespace Lineage.Tests.Runtime.Grains;

public interface ITurnGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="sequence"/> after yielding twice, and notes any overlap with another turn.</summary>
    Task Step(int sequence);

    Task<int[]> GetSequence();

    Task<int> GetOverlaps();
}

/// <summary>A non-reentrant grain that checks, from inside, that no two of its turns ever run at once.</summary>
public sealed class TurnGrain : Grain, ITurnGrain
{
    private readonly List<int> _sequence = [];
    private int _inTurn;
    private int _overlaps;

    public async Task Step(int sequence)
    {
        if (Interlocked.Exchange(ref _inTurn, 1) != 0)
        {
            _overlaps++;
        }

        await Task.Yield();
        await Task.Run(() => { });
        _sequence.Add(sequence);
        Volatile.Write(ref _inTurn, 0);
    }

    public Task<int[]> GetSequence() => Task.FromResult(_sequence.ToArray());

    public Task<int> GetOverlaps() => Task.FromResult(_overlaps);
}
