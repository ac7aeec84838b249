using Lineage.Grains.Walks;

namespace Lineage.Grains.Walks;

/// <summary>Keeps one walk within its limits and remembers which of them cut it short.</summary>
internal sealed class WalkBudget(WalkLimits limits, TimeProvider timeProvider)
{
    private readonly long _started = timeProvider.GetTimestamp();
    private readonly SortedSet<string> _cutBy = new(StringComparer.Ordinal);
    private int _nodes;

    public WalkLimits Limits { get; } = limits;

    public int NodesLeft => Math.Max(0, Limits.MaxNodes - _nodes);

    public TimeSpan Remaining => Limits.EffectiveDeadline - timeProvider.GetElapsedTime(_started);

    public bool Expired => Remaining <= TimeSpan.Zero;

    public WalkCompleteness Completeness => _cutBy.Count == 0 ? WalkCompleteness.Complete : new WalkCompleteness(true, _cutBy.ToArray());

    /// <summary>Claims room for one more node; false (and the walk is marked cut by "nodes") when the budget is spent.</summary>
    public bool TryTakeNode()
    {
        if (_nodes >= Limits.MaxNodes)
        {
            Cut("nodes");
            return false;
        }

        _nodes++;
        return true;
    }

    /// <summary>The leading <paramref name="items"/> the node budget still has room for, each claimed; the walk is marked cut by
    /// "nodes" when some are left out.</summary>
    public List<T> TakeNodes<T>(IEnumerable<T> items)
    {
        var taken = new List<T>();
        foreach (var item in items)
        {
            if (!TryTakeNode())
            {
                break;
            }

            taken.Add(item);
        }

        return taken;
    }

    public void Cut(string reason) => _cutBy.Add(reason);

    /// <summary>Awaits <paramref name="calls"/> until the deadline; null (and the walk marked cut by "deadline") when it passes first.</summary>
    public async Task<T[]?> WithinDeadline<T>(IEnumerable<Task<T>> calls)
    {
        var all = Task.WhenAll(calls);
        var remaining = Remaining;
        if (remaining > TimeSpan.Zero)
        {
            try
            {
                return await all.WaitAsync(remaining, timeProvider);
            }
            catch (TimeoutException)
            {
                // Falls through: the calls go on in the background and their answers are dropped.
            }
        }

        Cut("deadline");
        _ = all.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return null;
    }
}
