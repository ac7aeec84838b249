using Lineage.Grains.Posts;

namespace Lineage.Grains.Walks;

/// <summary>Turns grain nodes into the nodes walks answer with, and orders them the one way every walk uses.</summary>
internal static class TraceNodes
{
    public static TraceNode From(PostNode node, int depth, PostNode? parent)
    {
        var parentPostId = node.PrimaryParentKey is null ? null : PostKeys.Split(node.PrimaryParentKey).Id;
        var early = parent?.ObservedAt is { } parentSeen && node.ObservedAt is { } seen && seen < parentSeen;
        return new TraceNode(node.Platform, node.PostId, parentPostId, node.Account, node.ObservedAt, depth, node.Seen, node.Disputed, early);
    }

    /// <summary>By depth, then post id in key order: a function of the set of nodes, never of the order they were found in.</summary>
    public static List<TraceNode> Ordered(IEnumerable<TraceNode> nodes) =>
        nodes.OrderBy(n => n.Depth).ThenBy(n => n.PostId, Edges.KeyOrder.Instance).ToList();

    /// <summary>The earliest seen node (ties by key); null when none was seen.</summary>
    public static PostNode? Earliest(IEnumerable<PostNode> nodes) =>
        nodes.Where(n => n.Seen).OrderBy(n => n.ObservedAt).ThenBy(n => n.Key, Edges.KeyOrder.Instance).FirstOrDefault();
}
