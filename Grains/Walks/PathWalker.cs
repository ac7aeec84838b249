using Lineage.Grains.Posts;
using Lineage.Runtime;

namespace Lineage.Grains.Walks;

/// <summary>Walks from a post up its primary parents to the origin.</summary>
public sealed class PathWalker(IGrainFactory grains, TimeProvider timeProvider)
{
    /// <summary>The path from <paramref name="postKey"/> (hop 0) to its origin.</summary>
    public async Task<PathResult> PathAsync(string postKey, WalkLimits limits)
    {
        var budget = new WalkBudget(limits, timeProvider);
        var (path, _) = await WalkUpAsync(grains, postKey, budget);
        var nodes = new List<TraceNode>(path.Count);
        for (var i = 0; i < path.Count; i++)
        {
            nodes.Add(TraceNodes.From(path[i], i, i + 1 < path.Count ? path[i + 1] : null));
        }

        return new PathResult("post:" + postKey, nodes, nodes.Count == 0 ? null : nodes[^1], budget.Completeness);
    }

    /// <summary>The nodes from <paramref name="postKey"/> up to the origin (last), and whether the top is the true origin.</summary>
    /// <remarks>Bounded by the node budget and the deadline, not by the depth limit: a trace limited to a few levels must still
    /// start from the true origin.</remarks>
    internal static async Task<(List<PostNode> Path, bool Complete)> WalkUpAsync(IGrainFactory grains, string postKey, WalkBudget budget)
    {
        var path = new List<PostNode>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        string? next = postKey;
        while (next is not null)
        {
            if (!visited.Add(next))
            {
                // Cycles are refused at intake; this only keeps the walk finite if one ever got into storage.
                budget.Cut("cycle");
                return (path, false);
            }

            if (!budget.TryTakeNode())
            {
                return (path, false);
            }

            var step = await budget.WithinDeadline([grains.GetGrain<IPostGrain>(next).GetNode(0)]);
            if (step is null)
            {
                return (path, false);
            }

            path.Add(step[0]);
            next = step[0].PrimaryParentKey;
        }

        return (path, true);
    }
}
