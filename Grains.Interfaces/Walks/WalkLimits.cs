namespace Lineage.Grains.Walks;

/// <summary>Bounds of a walk: how deep, how many nodes, and for how long; a walk that hits one stops and says so.</summary>
/// <param name="MaxDepth">Most levels below (or hops above) the starting point. Default 64.</param>
/// <param name="MaxNodes">Most nodes visited. Default 10,000.</param>
/// <param name="Deadline">Longest time the walk may take. Default 10 s.</param>
public sealed record WalkLimits(int MaxDepth = 64, int MaxNodes = 10_000, TimeSpan? Deadline = null)
{
    /// <summary>The defaults.</summary>
    public static WalkLimits Default { get; } = new();

    /// <summary>The deadline in effect (10 s when none was given).</summary>
    public TimeSpan EffectiveDeadline => Deadline ?? TimeSpan.FromSeconds(10);
}
