using Lineage.Runtime;

namespace Lineage.Grains.Similarity;

/// <summary>Near-duplicate groups of PDQ hashes: the connected components of "within the threshold", each named by its smallest hash
/// (its representative), kept as a union-find forest over <see cref="IPdqHashGrain"/>s.</summary>
/// <remarks>
/// <para>Every link points from a hash to a strictly smaller one, so a tree's root is its smallest hash, whatever order the links were
/// made in: the same hashes give the same groups and the same representatives in any arrival order.</para>
/// <para>Joining two groups (a bridging hash) re-points one hash, the larger of the two representatives, under the smaller: the members
/// of both groups reach the new representative through it, so a bridge costs one write per group it joins plus the walks up to the
/// roots, never a write per member. Linking is a compare-and-set on the grain of the larger root (single-threaded per grain), retried
/// from the new root when another link got there first; every retry follows a strictly smaller hash, so it terminates.</para>
/// <para>Stateless: any grain or silo service can hold one.</para>
/// </remarks>
public sealed class NearDuplicateGroups(IGrainFactory grains)
{
    /// <summary>Most links followed from a hash up to its representative before the group is reported as unreadable.</summary>
    internal const int MaxChain = 100_000;

    /// <summary>Puts <paramref name="hash"/> in one group with each of <paramref name="matches"/> (hex hashes within the threshold).</summary>
    public async Task JoinAsync(string hash, IEnumerable<string> matches)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        ArgumentNullException.ThrowIfNull(matches);

        // One union at a time: matches mostly share a group already, and a union after the first then costs only two walks up.
        foreach (var match in matches.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await UnionAsync(hash, match);
        }
    }

    /// <summary>Merges the groups of <paramref name="a"/> and <paramref name="b"/> (nothing to do when they share one already).</summary>
    public async Task UnionAsync(string a, string b)
    {
        while (true)
        {
            var roots = await Task.WhenAll(FindRepresentativeAsync(a), FindRepresentativeAsync(b));
            var comparison = string.CompareOrdinal(roots[0], roots[1]);
            if (comparison == 0)
            {
                return;
            }

            var (low, high) = comparison < 0 ? (roots[0], roots[1]) : (roots[1], roots[0]);

            // The member is recorded before the link, so a reader walking down from the representative never misses it; a record left
            // behind by a lost race is ignored by readers (the member's parent is elsewhere).
            await grains.GetGrain<IPdqHashGrain>(low).AddGroupMember(high);
            if (await grains.GetGrain<IPdqHashGrain>(high).LinkUnder(low) is null)
            {
                return;
            }
        }
    }

    /// <summary>The representative (smallest hash) of the group of <paramref name="hash"/>; the hash itself when it was never linked.</summary>
    public async Task<string> FindRepresentativeAsync(string hash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        var current = hash;
        for (var steps = 0; steps < MaxChain; steps++)
        {
            if (await grains.GetGrain<IPdqHashGrain>(current).GetGroupParent() is not { } parent)
            {
                return current;
            }

            current = parent;
        }

        throw new InvalidOperationException($"the near-duplicate group of {hash} has a chain longer than {MaxChain} links");
    }

    /// <summary>Reads the group of <paramref name="hash"/> downward from its representative, level by level, each level's calls in
    /// parallel, until it is complete, <paramref name="maxHashes"/> hashes were read, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task<NearDuplicateGroup> ReadAsync(string hash, int maxHashes, CancellationToken cancellationToken)
    {
        var representative = await FindRepresentativeAsync(hash);
        var members = new List<NearDuplicateGroupHash>();

        // Each hash has one parent, so the forest is read as a tree; a hash listed under several hashes (a record left by a lost race)
        // is kept only under the one it actually points at.
        var level = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal) { [representative] = [] };
        var truncated = false;
        while (level.Count > 0)
        {
            if (cancellationToken.IsCancellationRequested || members.Count + level.Count > maxHashes)
            {
                truncated = true;
                var room = cancellationToken.IsCancellationRequested ? 0 : Math.Max(0, maxHashes - members.Count);
                level = level.OrderBy(l => l.Key, StringComparer.Ordinal).Take(room).ToDictionary(StringComparer.Ordinal);
                if (level.Count == 0)
                {
                    break;
                }
            }

            var hashes = level.Keys.ToArray();
            var nodes = await Task.WhenAll(hashes.Select(h => grains.GetGrain<IPdqHashGrain>(h).GetGroupNode()));
            var next = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            for (var i = 0; i < nodes.Length; i++)
            {
                var claimedBy = level[hashes[i]];
                if (claimedBy.Count > 0 && (nodes[i].Parent is not { } parent || !claimedBy.Contains(parent)))
                {
                    continue;
                }

                members.Add(new NearDuplicateGroupHash(hashes[i], nodes[i].Quality, nodes[i].Owners, nodes[i].MoreOwners));

                // A representative with more recorded members than one node reads cannot be read whole.
                truncated |= nodes[i].MoreMembers;
                foreach (var member in nodes[i].Members)
                {
                    if (!next.TryGetValue(member, out var parents))
                    {
                        parents = new HashSet<string>(StringComparer.Ordinal);
                        next[member] = parents;
                    }

                    parents.Add(hashes[i]);
                }
            }

            level = next;
        }

        return new NearDuplicateGroup(representative, [.. members.OrderBy(m => m.Hash, StringComparer.Ordinal)], truncated);
    }
}

/// <summary>A near-duplicate group as read: its representative (smallest hash), its hashes in ordinal order, and whether a limit cut the
/// reading short.</summary>
public sealed record NearDuplicateGroup(string Representative, IReadOnlyList<NearDuplicateGroupHash> Hashes, bool Truncated);

/// <summary>A hash of a near-duplicate group, its quality, and what it belongs to (the first 1,000 owners; <paramref name="MoreOwners"/>
/// when there are more).</summary>
public sealed record NearDuplicateGroupHash(string Hash, int Quality, IReadOnlyList<PdqOwner> Owners, bool MoreOwners = false);
