using Lineage.Grains.Accounts;
using Lineage.Grains.Content;
using Lineage.Grains.Posts;
using Lineage.Grains.Similarity;
using Lineage.Media.Pdq;
using Lineage.Runtime;

namespace Lineage.Grains.Walks;

/// <summary>Traces an item: walks up to its origin, then down the reshare tree level by level, each level's grain calls in parallel.</summary>
public sealed class TraceWalker(IGrainFactory grains, TimeProvider timeProvider)
{
    /// <summary>Children keys fetched with each node, and per page when a node has more.</summary>
    private const int ChildPage = 1000;

    /// <summary>How a near-duplicate group is named as a content item: "pdq:" + any of its hashes.</summary>
    private const string GroupPrefix = "pdq:";

    /// <summary>Traces the reshare tree that <paramref name="postKey"/> belongs to, from its origin.</summary>
    /// <param name="postKey">"platform/postId".</param>
    /// <param name="limits">Depth, node and time bounds.</param>
    /// <param name="skip">Nodes of the answer to skip (paging; the tree is always walked whole within the limits).</param>
    /// <param name="take">Most nodes in the answer.</param>
    /// <param name="withSubjects">Whether to look up the subjects behind the accounts.</param>
    public async Task<TraceResult> TraceAsync(string postKey, WalkLimits limits, int skip = 0, int take = int.MaxValue, bool withSubjects = true)
    {
        var budget = new WalkBudget(limits, timeProvider);
        var tree = await WalkTreeAsync(postKey, budget);
        var self = tree.Entries.Find(e => e.Node.Key == postKey)?.Node;
        if (self is null && !budget.Expired)
        {
            self = (await budget.WithinDeadline([grains.GetGrain<IPostGrain>(postKey).GetNode(0)]))?[0];
        }

        var near = self?.Pdq is { } pdq ? await ReadGroupAsync(pdq, budget) : null;
        return await ComposeAsync("post:" + postKey, tree.Origin, tree.Entries, skip, take, withSubjects, budget, near, self?.Pdq, postKey);
    }

    /// <summary>Traces every post carrying the content <paramref name="sha256"/>, or, for "pdq:" + a PDQ hash, every post of that hash's
    /// near-duplicate group; the origin is the earliest of them.</summary>
    public async Task<TraceResult> TraceContentAsync(string sha256, WalkLimits limits, int skip = 0, int take = int.MaxValue, bool withSubjects = true)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        var budget = new WalkBudget(limits, timeProvider);
        if (sha256.StartsWith(GroupPrefix, StringComparison.Ordinal))
        {
            var group = await ReadGroupAsync(sha256[GroupPrefix.Length..], budget);
            var members = await WalkPostsAsync(PostsOf(group), budget);
            return await ComposeAsync(
                "content:" + sha256, TraceNodes.Earliest(members.Select(e => e.Node)), members, skip, take, withSubjects, budget, group, group?.Representative, null);
        }

        var entries = await WalkContentAsync(sha256, budget);
        var origin = TraceNodes.Earliest(entries.Select(e => e.Node));

        // The content's own hash is the origin's, else that of the earliest post carrying one.
        var reference = origin?.Pdq ?? entries.Select(e => e.Node).Where(n => n.Pdq is not null)
            .OrderBy(n => n.ObservedAt).ThenBy(n => n.Key, Edges.KeyOrder.Instance).FirstOrDefault()?.Pdq;
        var near = reference is null ? null : await ReadGroupAsync(reference, budget);
        return await ComposeAsync("content:" + sha256, origin, entries, skip, take, withSubjects, budget, near, reference, null);
    }

    /// <summary>How the item spread: posts per time bucket over the walked tree (or the posts carrying the content).</summary>
    /// <param name="item">"post:platform/postId" or "content:sha256".</param>
    /// <param name="limits">Bounds of the underlying walk.</param>
    /// <param name="bucket">Bucket width; chosen to give at most about 50 buckets when null.</param>
    public async Task<TimelineResult> TimelineAsync(string item, WalkLimits limits, TimeSpan? bucket = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var budget = new WalkBudget(limits, timeProvider);
        var entries = item.StartsWith("content:" + GroupPrefix, StringComparison.Ordinal)
            ? await WalkGroupAsync(item[("content:" + GroupPrefix).Length..], budget)
            : item.StartsWith("content:", StringComparison.Ordinal)
            ? await WalkContentAsync(item["content:".Length..], budget)
            : (await WalkTreeAsync(item.StartsWith("post:", StringComparison.Ordinal) ? item["post:".Length..] : item, budget)).Entries;
        var times = entries.Where(e => e.Node.ObservedAt is not null).Select(e => e.Node.ObservedAt!.Value).Order().ToList();
        if (times.Count == 0)
        {
            return new TimelineResult(item, bucket ?? TimeSpan.FromHours(1), [], entries.Count, budget.Completeness);
        }

        var width = bucket is { } given && given > TimeSpan.Zero ? given : Timelines.ChooseBucket(times[^1] - times[0]);
        var origin = Timelines.Floor(times[0], width);
        var buckets = new List<TimelineBucket>();
        var cumulative = 0;
        var i = 0;
        while (i < times.Count)
        {
            var start = origin + (width * ((times[i] - origin).Ticks / width.Ticks));
            var count = 0;
            while (i < times.Count && times[i] < start + width)
            {
                count++;
                i++;
            }

            cumulative += count;
            buckets.Add(new TimelineBucket(start, count, cumulative));
        }

        return new TimelineResult(item, width, buckets, entries.Count, budget.Completeness);
    }

    private async Task<(PostNode? Origin, List<WalkEntry> Entries)> WalkTreeAsync(string postKey, WalkBudget budget)
    {
        // The way up has its own node allowance (its depth bounds it), so that a long path does not eat the tree's budget.
        var upward = new WalkBudget(budget.Limits, timeProvider);
        var (path, _) = await PathWalker.WalkUpAsync(grains, postKey, upward);
        foreach (var reason in upward.Completeness.CutBy)
        {
            budget.Cut(reason);
        }

        var entries = new List<WalkEntry>();
        if (path.Count == 0 || !budget.TryTakeNode())
        {
            return (null, entries);
        }

        var originCall = await budget.WithinDeadline([grains.GetGrain<IPostGrain>(path[^1].Key).GetNode(ChildPage)]);
        if (originCall is null)
        {
            return (null, entries);
        }

        var origin = originCall[0];
        var visited = new HashSet<string>(StringComparer.Ordinal) { origin.Key };
        entries.Add(new WalkEntry(origin, 0, null));
        var level = new List<PostNode> { origin };
        var depth = 0;
        while (level.Count > 0)
        {
            var candidates = await ChildrenOfAsync(level, visited, budget);
            if (candidates.Count == 0)
            {
                break;
            }

            if (depth == budget.Limits.MaxDepth)
            {
                budget.Cut("depth");
                break;
            }

            var taken = budget.TakeNodes(candidates);

            var nodes = await budget.WithinDeadline(taken.Select(c => grains.GetGrain<IPostGrain>(c.Key).GetNode(ChildPage)));
            if (nodes is null)
            {
                break;
            }

            depth++;
            var next = new List<PostNode>(nodes.Length);
            for (var i = 0; i < nodes.Length; i++)
            {
                // A child that chose another parent belongs under that one; it is reached from there (or not in this tree).
                if (nodes[i].PrimaryParentKey == taken[i].Parent.Key && visited.Add(nodes[i].Key))
                {
                    entries.Add(new WalkEntry(nodes[i], depth, taken[i].Parent));
                    next.Add(nodes[i]);
                }
            }

            level = next;
        }

        return (origin, entries);
    }

    private async Task<List<(string Key, PostNode Parent)>> ChildrenOfAsync(List<PostNode> level, HashSet<string> visited, WalkBudget budget)
    {
        var candidates = new List<(string Key, PostNode Parent)>();
        foreach (var node in level)
        {
            foreach (var child in node.Children)
            {
                if (!visited.Contains(child))
                {
                    candidates.Add((child, node));
                }
            }

            var cursor = node.ChildrenCursor;
            while (cursor is not null && candidates.Count < budget.NodesLeft)
            {
                var page = await budget.WithinDeadline([grains.GetGrain<IPostGrain>(node.Key).GetChildren(cursor, ChildPage)]);
                if (page is null)
                {
                    return candidates;
                }

                candidates.AddRange(page[0].Keys.Where(k => !visited.Contains(k)).Select(k => (k, node)));
                cursor = page[0].NextCursor;
            }

            if (cursor is not null)
            {
                budget.Cut("nodes");
            }
        }

        return candidates;
    }

    private async Task<List<WalkEntry>> WalkContentAsync(string sha256, WalkBudget budget)
    {
        var entries = new List<WalkEntry>();
        var content = grains.GetGrain<IContentGrain>(sha256);
        string? cursor = null;
        do
        {
            var page = await budget.WithinDeadline([content.GetPosts(cursor, ChildPage)]);
            if (page is null)
            {
                break;
            }

            var keys = budget.TakeNodes(page[0].Keys);

            var nodes = await budget.WithinDeadline(keys.Select(k => grains.GetGrain<IPostGrain>(k).GetNode(0)));
            if (nodes is null)
            {
                break;
            }

            entries.AddRange(nodes.Select(n => new WalkEntry(n, 0, null)));
            cursor = keys.Count == page[0].Keys.Count ? page[0].NextCursor : null;
        }
        while (cursor is not null);
        return entries;
    }

    /// <summary>The near-duplicate group of <paramref name="pdq"/>, read within the walk's node limit and deadline; null when no post owns
    /// any hash of it (e.g. the hash is below the quality floor and was never indexed).</summary>
    private async Task<NearDuplicateGroup?> ReadGroupAsync(string pdq, WalkBudget budget)
    {
        if (budget.Expired)
        {
            budget.Cut("deadline");
            return null;
        }

        using var deadline = new CancellationTokenSource(budget.Remaining);
        var group = await new NearDuplicateGroups(grains).ReadAsync(pdq, budget.Limits.MaxNodes, deadline.Token);
        if (group.Truncated)
        {
            budget.Cut(deadline.IsCancellationRequested ? "deadline" : "nodes");
        }

        return group.Hashes.Any(h => h.Owners.Count > 0) ? group : null;
    }

    private async Task<List<WalkEntry>> WalkGroupAsync(string pdq, WalkBudget budget) =>
        await WalkPostsAsync(PostsOf(await ReadGroupAsync(pdq, budget)), budget);

    private static IEnumerable<string> PostsOf(NearDuplicateGroup? group) => group?.Hashes.SelectMany(h => h.Owners).Select(o => o.PostKey) ?? [];

    private async Task<List<WalkEntry>> WalkPostsAsync(IEnumerable<string> postKeys, WalkBudget budget)
    {
        var keys = budget.TakeNodes(postKeys.Distinct(StringComparer.Ordinal).Order(Edges.KeyOrder.Instance));

        var nodes = await budget.WithinDeadline(keys.Select(k => grains.GetGrain<IPostGrain>(k).GetNode(0)));
        return nodes is null ? [] : [.. nodes.Select(n => new WalkEntry(n, 0, null))];
    }

    /// <summary>The posts of <paramref name="group"/> but <paramref name="exclude"/>, each once with its nearest hash's distance from
    /// <paramref name="reference"/>, nearest first, then by post key: a function of the group, never of arrival order.</summary>
    private static NearDuplicatePost[] NearDuplicatePosts(NearDuplicateGroup? group, string? reference, string? exclude)
    {
        if (group is null || reference is null)
        {
            return [];
        }

        var from = PdqHash.Parse(reference);
        var best = new Dictionary<string, (string Hash, int Distance)>(StringComparer.Ordinal);
        foreach (var hash in group.Hashes)
        {
            var distance = PdqHash.Parse(hash.Hash).DistanceTo(from);
            foreach (var owner in hash.Owners)
            {
                if (owner.PostKey == exclude)
                {
                    continue;
                }

                if (!best.TryGetValue(owner.PostKey, out var known) || distance < known.Distance
                    || (distance == known.Distance && string.CompareOrdinal(hash.Hash, known.Hash) < 0))
                {
                    best[owner.PostKey] = (hash.Hash, distance);
                }
            }
        }

        return [.. best
            .OrderBy(p => p.Value.Distance).ThenBy(p => p.Key, Edges.KeyOrder.Instance)
            .Select(p =>
            {
                var (platform, id) = PostKeys.Split(p.Key);
                return new NearDuplicatePost(platform, id, p.Value.Hash, p.Value.Distance);
            })];
    }

    private async Task<TraceResult> ComposeAsync(
        string item, PostNode? originNode, List<WalkEntry> entries, int skip, int take, bool withSubjects, WalkBudget budget,
        NearDuplicateGroup? group, string? reference, string? exclude)
    {
        var byKey = entries.ToDictionary(e => e.Node.Key, StringComparer.Ordinal);
        var nodes = TraceNodes.Ordered(entries.Select(e => TraceNodes.From(e.Node, e.Depth, ParentOf(e))));
        var accounts = entries.Where(e => e.Node.Account is not null)
            .GroupBy(e => PostKeys.Compose(e.Node.Platform, e.Node.Account!), StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Posts: g.Count()))
            .OrderByDescending(a => a.Posts).ThenBy(a => a.Key, Edges.KeyOrder.Instance)
            .ToList();
        var subjects = new Dictionary<string, IReadOnlyList<SubjectLinkEvent>>(StringComparer.Ordinal);
        if (withSubjects && accounts.Count > 0)
        {
            var links = await budget.WithinDeadline(accounts.Select(a => grains.GetGrain<IAccountGrain>(a.Key).GetSubjects()));
            for (var i = 0; links is not null && i < links.Length; i++)
            {
                subjects[accounts[i].Key] = links[i];
            }
        }

        var accountSummaries = accounts
            .Select(a => new AccountSummary(a.Key, a.Posts,
                subjects.TryGetValue(a.Key, out var l) ? l.Select(e => e.SubjectId).ToArray() : []))
            .ToArray();
        var disputed = entries.Where(e => e.Node.Disputed)
            .OrderBy(e => e.Node.Key, Edges.KeyOrder.Instance)
            .Select(e => new DisputedParent(
                e.Node.PostId,
                e.Node.PrimaryParentKey is null ? null : PostKeys.Split(e.Node.PrimaryParentKey).Id,
                e.Node.Parents.Select(p => PostKeys.Split(p.ParentKey).Id).ToArray()))
            .ToArray();
        var anomalies = entries
            .Where(e => ParentOf(e) is { ObservedAt: { } parentSeen } && e.Node.ObservedAt is { } seen && seen < parentSeen)
            .OrderBy(e => e.Node.Key, Edges.KeyOrder.Instance)
            .Select(e => new TimeAnomaly(e.Node.PostId, ParentOf(e)!.PostId, e.Node.ObservedAt!.Value, ParentOf(e)!.ObservedAt!.Value))
            .ToArray();
        var origin = originNode is null ? null : TraceNodes.From(originNode, 0, null);
        skip = Math.Clamp(skip, 0, nodes.Count);
        var page = nodes.Skip(skip).Take(Math.Max(0, take)).ToArray();
        return new TraceResult(
            item, origin, nodes.Count, nodes.Count == 0 ? 0 : nodes.Max(n => n.Depth), accounts.Count, page, skip, accountSummaries,
            subjects.Values.SelectMany(l => l).Select(e => e.SubjectId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            disputed, anomalies, budget.Completeness, group is null ? null : GroupPrefix + group.Representative,
            NearDuplicatePosts(group, reference, exclude));

        PostNode? ParentOf(WalkEntry entry) =>
            entry.Parent ?? (entry.Node.PrimaryParentKey is { } key && byKey.TryGetValue(key, out var parent) ? parent.Node : null);
    }

    /// <summary>A node found by a walk, its depth, and the node it was reached from.</summary>
    private sealed record WalkEntry(PostNode Node, int Depth, PostNode? Parent);
}
