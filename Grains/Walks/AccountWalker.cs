using Lineage.Grains.Accounts;
using Lineage.Grains.Posts;
using Lineage.Runtime;

namespace Lineage.Grains.Walks;

/// <summary>An account's activity: its posts, whom it reshared, who reshared it, and the subjects linked to it.</summary>
public sealed class AccountWalker(IGrainFactory grains, TimeProvider timeProvider)
{
    private const int Page = 1000;

    /// <summary>Walks the account <paramref name="accountKey"/> ("platform/account").</summary>
    /// <param name="accountKey">The account.</param>
    /// <param name="limits">Node and time bounds (depth does not apply: the walk is one hop each way).</param>
    /// <param name="postsShown">Most posts listed in the answer (all are counted).</param>
    public async Task<AccountReport> ReportAsync(string accountKey, WalkLimits limits, int postsShown = 100)
    {
        var budget = new WalkBudget(limits, timeProvider);
        return await ReportAsync(accountKey, budget, postsShown);
    }

    internal async Task<AccountReport> ReportAsync(string accountKey, WalkBudget budget, int postsShown)
    {
        var account = grains.GetGrain<IAccountGrain>(accountKey);
        var subjectsCall = account.GetSubjects();
        var posts = new List<PostNode>();
        string? cursor = null;
        do
        {
            var page = await budget.WithinDeadline([account.GetPosts(cursor, Page)]);
            if (page is null)
            {
                break;
            }

            var keys = budget.TakeNodes(page[0].Keys);

            var nodes = await budget.WithinDeadline(keys.Select(k => grains.GetGrain<IPostGrain>(k).GetNode(Page)));
            if (nodes is null)
            {
                break;
            }

            posts.AddRange(nodes);
            cursor = keys.Count == page[0].Keys.Count ? page[0].NextCursor : null;
        }
        while (cursor is not null);

        // One hop each way: the parents of its reshares, and the children of its posts.
        var parentKeys = posts.Where(p => p.PrimaryParentKey is not null).Select(p => p.PrimaryParentKey!).Distinct(StringComparer.Ordinal).ToList();
        var parents = await FetchAsync(parentKeys, budget);
        var childKeys = posts.SelectMany(p => p.Children.Select(c => (Child: c, Parent: p.Key))).ToList();
        if (posts.Any(p => p.ChildrenCursor is not null))
        {
            budget.Cut("nodes");
        }

        var children = await FetchAsync(childKeys.Select(c => c.Child).Distinct(StringComparer.Ordinal).ToList(), budget);
        var ownKeys = posts.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var reshared = Count(posts
            .Where(p => p.PrimaryParentKey is not null && parents.ContainsKey(p.PrimaryParentKey))
            .Select(p => parents[p.PrimaryParentKey!]));
        var resharedBy = Count(children.Values.Where(c => c.PrimaryParentKey is not null && ownKeys.Contains(c.PrimaryParentKey)));
        var seen = posts.Where(p => p.ObservedAt is not null).Select(p => p.ObservedAt!.Value).ToList();
        var shown = TraceNodes.Ordered(posts.Select(p => TraceNodes.From(p, 0, p.PrimaryParentKey is { } k && parents.TryGetValue(k, out var parent) ? parent : null)))
            .OrderBy(n => n.ObservedAt).Take(Math.Max(0, postsShown)).ToArray();
        var subjects = await budget.WithinDeadline([subjectsCall]);
        return new AccountReport(
            accountKey,
            posts.Count,
            posts.Count(p => p.PrimaryParentKey is null),
            posts.Count(p => p.PrimaryParentKey is not null),
            seen.Count == 0 ? null : seen.Min(),
            seen.Count == 0 ? null : seen.Max(),
            shown,
            reshared,
            resharedBy,
            subjects?[0] ?? [],
            budget.Completeness);
    }

    private static AccountCount[] Count(IEnumerable<PostNode> nodes) =>
        nodes.Where(n => n.Account is not null)
            .GroupBy(n => PostKeys.Compose(n.Platform, n.Account!), StringComparer.Ordinal)
            .Select(g => new AccountCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Account, Edges.KeyOrder.Instance)
            .ToArray();

    private async Task<Dictionary<string, PostNode>> FetchAsync(List<string> keys, WalkBudget budget)
    {
        var taken = budget.TakeNodes(keys);
        var nodes = await budget.WithinDeadline(taken.Select(k => grains.GetGrain<IPostGrain>(k).GetNode(0)));
        return nodes is null ? [] : nodes.ToDictionary(n => n.Key, StringComparer.Ordinal);
    }
}
