using System.Text.Json;
using Lineage.Grains.Edges;
using Lineage.Grains.Intake;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Posts;

/// <summary>A post: keeps its small deciding state in <see cref="IPersistentState{TState}"/> and its claims and children as edge rows.</summary>
/// <remarks>
/// <para>Registering costs the same for the first and the millionth reshare of a post: the parent appends one child row and keeps no
/// per-child state; the account, content and referral relations get one row each, written straight to the edge store (appends are
/// idempotent and commutative, and those grains keep no in-memory copy of them), so registering a reshare activates neither the
/// account nor the content.</para>
/// <para>Cycle refusal: before a claim naming a new parent is recorded, the graph of claimed parents is walked upward from that parent;
/// if it reaches this post the claim is refused. The new parent is visible to other walks while the check runs, so two claims that
/// would together close a cycle, registered at the same moment, cannot both pass (both may be refused; resubmitting one succeeds).</para>
/// </remarks>
[GrainType(GrainTypes.Post)]
public sealed class PostGrain(
    [PersistentState("post")] IPersistentState<PostState> post,
    IEdgeStore edges,
    TimeProvider timeProvider) : Grain, IPostGrain
{
    /// <summary>Children kept in memory when a post has at most this many; larger fan-outs are paged from the store.</summary>
    internal const int ChildCacheLimit = 4096;

    /// <summary>Most posts an ancestry check visits before it refuses the claim as unverifiable.</summary>
    internal const int AncestryCheckBudget = 100_000;

    private static readonly JsonSerializerOptions ClaimJson = new(JsonSerializerDefaults.Web);

    private readonly List<string> _pendingParents = [];
    private List<string>? _children;
    private bool _childrenTooMany;

    /// <inheritdoc />
    public async Task<RegistrationResult> Register(Sighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        if (sighting.Validate() is { } problem)
        {
            return RegistrationResult.Refuse(problem);
        }

        var key = GetPrimaryKeyString();
        if (!string.Equals(sighting.PostKey, key, StringComparison.Ordinal))
        {
            return RegistrationResult.Refuse($"postId: the sighting of {sighting.PostKey} was sent to post {key}");
        }

        var parentKey = sighting.ParentKey;
        var childBeforeParent = false;
        var newParent = parentKey is not null && post.State.Parents.FindIndex(p => p.ParentKey == parentKey) < 0;
        if (newParent)
        {
            _pendingParents.Add(parentKey!);
            try
            {
                var check = await CheckAncestryAsync(key, parentKey!);
                if (check.Refusal is not null)
                {
                    return RegistrationResult.Refuse(check.Refusal);
                }

                childBeforeParent = check.ParentObservedAt is { } parentSeen && sighting.ObservedAt < parentSeen;
                return await RecordAsync(key, sighting, childBeforeParent);
            }
            finally
            {
                _pendingParents.Remove(parentKey!);
            }
        }

        return await RecordAsync(key, sighting, childBeforeParent);
    }

    /// <inheritdoc />
    public async Task AddChild(string childPostKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(childPostKey);
        var added = await edges.AppendAsync(GrainId, Relations.Children, RelationPages.KeyRow(childPostKey), CancellationToken.None);
        if (added > 0 && _children is not null)
        {
            var index = _children.BinarySearch(childPostKey, KeyOrder.Instance);
            if (index < 0)
            {
                _children.Insert(~index, childPostKey);
            }

            if (_children.Count > ChildCacheLimit)
            {
                _children = null;
                _childrenTooMany = true;
            }
        }
    }

    /// <inheritdoc />
    public Task<AncestryStep> GetAncestryStep()
    {
        var parents = new List<string>(post.State.Parents.Count + _pendingParents.Count);
        foreach (var parent in post.State.Parents)
        {
            parents.Add(parent.ParentKey);
        }

        parents.AddRange(_pendingParents);
        return Task.FromResult(new AncestryStep(post.State.First?.ObservedAt, parents));
    }

    /// <inheritdoc />
    public async Task<PostNode> GetNode(int childLimit)
    {
        var children = childLimit > 0 ? await GetChildren(null, childLimit) : new KeyPage([], null);
        var state = post.State;
        var (platform, postId) = PostKeys.Split(GetPrimaryKeyString());
        var primary = PrimaryParent(state);
        var parents = new ParentCandidate[state.Parents.Count];
        for (var i = 0; i < parents.Length; i++)
        {
            var claim = state.Parents[i];
            parents[i] = new ParentCandidate(claim.ParentKey, claim.Earliest.ObservedAt, claim.Earliest.Source, claim.ParentKey == primary);
        }

        var others = state.Accounts.Count > 1 ? state.Accounts.Where(a => a != state.Account).ToArray() : [];
        return new PostNode(
            GetPrimaryKeyString(), platform, postId, state.First is not null, state.Account, state.First?.ObservedAt, primary, parents, others,
            state.Url, state.ContentSha256, state.Pdq, state.PdqQuality, children.Keys, children.NextCursor);
    }

    /// <inheritdoc />
    public async Task<KeyPage> GetChildren(string? afterKey, int limit)
    {
        limit = Math.Clamp(limit, 1, RelationPages.MaxPage);
        if (_children is null && !_childrenTooMany)
        {
            var page = await edges.ReadAsync(GrainId, Relations.Children, null, ChildCacheLimit, CancellationToken.None);
            if (page.NextCursor is null)
            {
                // AddChild may have run while the read was awaited; its key is in the store and so in this page already.
                _children = page.Rows.Select(r => r.Key).ToList();
            }
            else
            {
                _childrenTooMany = true;
            }
        }

        if (_children is null)
        {
            return await RelationPages.ReadKeysAsync(edges, GrainId, Relations.Children, afterKey, limit);
        }

        var start = 0;
        if (afterKey is not null)
        {
            var index = _children.BinarySearch(afterKey, KeyOrder.Instance);
            start = index >= 0 ? index + 1 : ~index;
        }

        var count = Math.Min(limit, _children.Count - start);
        var keys = _children.GetRange(start, count);
        return new KeyPage(keys, start + count < _children.Count ? keys[^1] : null);
    }

    /// <inheritdoc />
    public async Task<ClaimPage> GetClaims(string? afterKey, int limit)
    {
        var page = await edges.ReadAsync(GrainId, Relations.Claims, afterKey, Math.Clamp(limit, 1, RelationPages.MaxPage), CancellationToken.None);
        var claims = new Claim[page.Rows.Count];
        for (var i = 0; i < claims.Length; i++)
        {
            claims[i] = JsonSerializer.Deserialize<Claim>(page.Rows[i].Payload.Span, ClaimJson)
                ?? throw new InvalidDataException($"Claim {page.Rows[i].Key} of post {GetPrimaryKeyString()} is empty.");
        }

        return new ClaimPage(claims, page.NextCursor);
    }

    /// <summary>The primary parent: the one named by the earliest claim that names a parent (see docs/lineage.md).</summary>
    internal static string? PrimaryParent(PostState state)
    {
        ParentClaim? best = null;
        foreach (var parent in state.Parents)
        {
            if (best is null || parent.Earliest.CompareTo(best.Earliest) < 0)
            {
                best = parent;
            }
        }

        return best?.ParentKey;
    }

    private async Task<RegistrationResult> RecordAsync(string key, Sighting sighting, bool childBeforeParent)
    {
        var claimKey = ClaimKeys.Compute(sighting);
        var changed = Apply(post.State, sighting, new ClaimRank(sighting.ObservedAt, sighting.Source, claimKey));
        var claim = new Claim(claimKey, sighting, timeProvider.GetUtcNow());
        var claimRow = new[] { new EdgeRow(claimKey, JsonSerializer.SerializeToUtf8Bytes(claim, ClaimJson)) };
        var postRow = RelationPages.KeyRow(key);

        // Every write is idempotent, so all of them run on every registration, duplicates included: a registration interrupted
        // half-way is completed by its retry instead of being mistaken for a duplicate.
        var claimAppend = edges.AppendAsync(GrainId, Relations.Claims, claimRow, CancellationToken.None).AsTask();
        var writes = new List<Task>(5) { claimAppend };
        if (sighting.ParentKey is { } parentKey)
        {
            writes.Add(GrainFactory.GetGrain<IPostGrain>(parentKey).AddChild(key));
        }

        writes.Add(edges.AppendAsync(new GrainId(GrainTypes.Account, sighting.AccountKey), Relations.Posts, postRow, CancellationToken.None).AsTask());
        if (sighting.ContentSha256 is { } sha)
        {
            writes.Add(edges.AppendAsync(new GrainId(GrainTypes.Content, sha), Relations.Posts, postRow, CancellationToken.None).AsTask());
        }

        if (sighting.Source == SightingSource.PublicReferral && sighting.SourceRef is { } referral)
        {
            writes.Add(edges.AppendAsync(new GrainId(GrainTypes.Referral, referral), Relations.Posts, postRow, CancellationToken.None).AsTask());
        }

        if (changed)
        {
            writes.Add(post.WriteStateAsync());
        }

        try
        {
            await Task.WhenAll(writes);
        }
        catch
        {
            if (changed)
            {
                // The in-memory state ran ahead of what may be stored; start again from the stored one.
                await post.ReadStateAsync();
            }

            throw;
        }

        return claimAppend.Result == 0
            ? RegistrationResult.Duplicate
            : new RegistrationResult(RegistrationOutcome.Accepted, null, childBeforeParent, post.State.Parents.Count > 1);
    }

    /// <summary>Folds one claim into the state; true when anything changed.</summary>
    private static bool Apply(PostState state, Sighting sighting, ClaimRank rank)
    {
        var changed = false;
        if (rank.Precedes(state.First))
        {
            state.First = rank;
            state.Account = sighting.Account;
            changed = true;
        }

        var accountIndex = state.Accounts.BinarySearch(sighting.Account, KeyOrder.Instance);
        if (accountIndex < 0)
        {
            state.Accounts.Insert(~accountIndex, sighting.Account);
            changed = true;
        }

        if (sighting.Url is not null && rank.Precedes(state.UrlRank))
        {
            state.UrlRank = rank;
            state.Url = sighting.Url;
            changed = true;
        }

        if ((sighting.ContentSha256 is not null || sighting.Pdq is not null) && rank.Precedes(state.ContentRank))
        {
            state.ContentRank = rank;
            state.ContentSha256 = sighting.ContentSha256;
            state.Pdq = sighting.Pdq;
            state.PdqQuality = sighting.PdqQuality;
            changed = true;
        }

        if (sighting.ParentKey is { } parentKey)
        {
            var index = state.Parents.FindIndex(p => p.ParentKey == parentKey);
            if (index < 0)
            {
                var at = state.Parents.FindIndex(p => KeyOrder.Instance.Compare(p.ParentKey, parentKey) > 0);
                state.Parents.Insert(at < 0 ? state.Parents.Count : at, new ParentClaim(parentKey, rank));
                changed = true;
            }
            else if (rank.Precedes(state.Parents[index].Earliest))
            {
                state.Parents[index] = new ParentClaim(parentKey, rank);
                changed = true;
            }
        }

        return changed;
    }

    private async Task<AncestryCheck> CheckAncestryAsync(string self, string parentKey)
    {
        // Breadth-first up the claimed-parent graph, one level's calls in parallel; the visited set keeps it finite on any graph.
        var visited = new HashSet<string>(StringComparer.Ordinal) { parentKey };
        var frontier = new List<string> { parentKey };
        DateTimeOffset? parentObservedAt = null;
        var first = true;
        while (frontier.Count > 0)
        {
            var steps = await Task.WhenAll(frontier.Select(k => GrainFactory.GetGrain<IPostGrain>(k).GetAncestryStep()));
            if (first)
            {
                parentObservedAt = steps[0].ObservedAt;
                first = false;
            }

            var next = new List<string>();
            for (var i = 0; i < steps.Length; i++)
            {
                foreach (var ancestor in steps[i].ParentKeys)
                {
                    if (string.Equals(ancestor, self, StringComparison.Ordinal))
                    {
                        return new AncestryCheck($"parentPostId: {PostKeys.Split(parentKey).Id} descends from {PostKeys.Split(self).Id} (through {PostKeys.Split(frontier[i]).Id}); the claim would make the post its own ancestor", null);
                    }

                    if (visited.Add(ancestor))
                    {
                        next.Add(ancestor);
                    }
                }
            }

            if (visited.Count > AncestryCheckBudget)
            {
                return new AncestryCheck($"parentPostId: the ancestry of {PostKeys.Split(parentKey).Id} has more than {AncestryCheckBudget} posts and cannot be checked for a cycle", null);
            }

            frontier = next;
        }

        return new AncestryCheck(null, parentObservedAt);
    }

    private readonly record struct AncestryCheck(string? Refusal, DateTimeOffset? ParentObservedAt);
}
