using Lineage.Grains.Edges;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Similarity;

/// <summary>One distinct PDQ hash and the owners (content item, post) it was seen with.</summary>
/// <remarks>The index partitions hold bare hashes, so that ten million of them fit in memory; what each belongs to lives here and is
/// read only for the few hashes a search returns. Owners and group members are edge rows, not lists in the state: a picture reposted
/// by thousands of accounts adds one row per post instead of rewriting a list that grows with every repost.</remarks>
[GrainType(GrainTypes.PdqHash)]
public sealed class PdqHashGrain([PersistentState("pdq-hash")] IPersistentState<PdqHashState> state, IEdgeStore edges) : Grain, IPdqHashGrain
{
    /// <summary>Most owners a read returns (the first in post-key order); the rest are counted as more.</summary>
    public const int OwnersListed = 1_000;

    /// <summary>Most group members a node reads; beyond it the node says its members were cut short.</summary>
    public const int MembersRead = 100_000;

    private const char OwnerKeySeparator = '\n';

    private KeyCache? _owners;
    private KeyCache? _members;

    /// <inheritdoc />
    public async Task<PdqHashRegistration> AddOwner(PdqOwner owner, int quality)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner.ContentFingerprint);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner.PostKey);
        if (owner.PostKey.Contains(OwnerKeySeparator, StringComparison.Ordinal) || owner.ContentFingerprint.Contains(OwnerKeySeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException("An owner's post key and content fingerprint cannot contain a line break.", nameof(owner));
        }

        var key = owner.PostKey + OwnerKeySeparator + owner.ContentFingerprint;

        // Every registration of a sighting indexes again (that is how an interrupted one is completed), so a known owner is common:
        // when the cached first owners already hold it, nothing is written.
        var newOwner = _owners?.Contains(key) != true
            && await edges.AppendAsync(GrainId, Relations.Owners, [new EdgeRow(key, ReadOnlyMemory<byte>.Empty)], CancellationToken.None) > 0;
        if (newOwner)
        {
            _owners?.Added(key);
        }

        if (quality > state.State.Quality)
        {
            var previous = state.State.Quality;
            state.State.Quality = quality;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.Quality = previous;
                throw;
            }
        }

        return new PdqHashRegistration(state.State.Indexed, newOwner);
    }

    /// <inheritdoc />
    public async Task MarkIndexed()
    {
        if (!state.State.Indexed)
        {
            state.State.Indexed = true;
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task<PdqHashOwners> GetOwners()
    {
        var owners = await OwnersAsync();
        return new PdqHashOwners(state.State.Quality, Owners(owners.Keys), owners.More);
    }

    /// <inheritdoc />
    public async Task<PdqOwnerPage> GetOwnerPage(string? afterCursor, int limit)
    {
        var page = await RelationPages.ReadKeysAsync(edges, GrainId, Relations.Owners, afterCursor, limit);
        return new PdqOwnerPage(Owners(page.Keys), page.NextCursor);
    }

    /// <inheritdoc />
    public Task<string?> GetGroupParent() => Task.FromResult(state.State.GroupParent);

    /// <inheritdoc />
    public async Task AddGroupMember(string memberHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memberHash);
        if (await edges.AppendAsync(GrainId, Relations.GroupMembers, [new EdgeRow(memberHash, ReadOnlyMemory<byte>.Empty)], CancellationToken.None) > 0)
        {
            _members?.Added(memberHash);
        }
    }

    /// <inheritdoc />
    public async Task<string?> LinkUnder(string parentHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentHash);
        var self = GetPrimaryKeyString();

        // Links only ever point at a strictly smaller hash, so the forest has no cycles and a representative is its group's minimum.
        if (string.CompareOrdinal(parentHash, self) >= 0)
        {
            throw new ArgumentException($"hash {self} can only be linked under a smaller hash, not {parentHash}", nameof(parentHash));
        }

        if (state.State.GroupParent is { } existing)
        {
            return existing;
        }

        state.State.GroupParent = parentHash;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.GroupParent = null;
            throw;
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<PdqGroupNode> GetGroupNode()
    {
        var owners = await OwnersAsync();
        _members ??= await KeyCache.LoadAsync(edges, GrainId, Relations.GroupMembers, MembersRead);
        return new PdqGroupNode(state.State.GroupParent, state.State.Quality, Owners(owners.Keys), [.. _members.Keys], owners.More, _members.More);
    }

    private async Task<KeyCache> OwnersAsync() => _owners ??= await KeyCache.LoadAsync(edges, GrainId, Relations.Owners, OwnersListed);

    private static PdqOwner[] Owners(IReadOnlyList<string> keys)
    {
        var result = new PdqOwner[keys.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var key = keys[i];
            var separator = key.IndexOf(OwnerKeySeparator, StringComparison.Ordinal);
            result[i] = new PdqOwner(key[(separator + 1)..], key[..separator]);
        }

        return result;
    }

    /// <summary>The first keys of a relation in key order, kept in memory once read and updated by this activation's own appends.</summary>
    private sealed class KeyCache(List<string> keys, int limit, bool more)
    {
        public List<string> Keys { get; } = keys;

        /// <summary>Whether the relation holds keys beyond <see cref="Keys"/>.</summary>
        public bool More { get; private set; } = more;

        public static async Task<KeyCache> LoadAsync(IEdgeStore edges, GrainId grainId, string relation, int limit)
        {
            var keys = new List<string>();
            string? cursor = null;
            do
            {
                var page = await edges.ReadAsync(grainId, relation, cursor, Math.Min(limit + 1 - keys.Count, 10_000), CancellationToken.None);
                keys.AddRange(page.Rows.Select(r => r.Key));
                cursor = page.NextCursor;
            }
            while (cursor is not null && keys.Count <= limit);

            var more = keys.Count > limit;
            if (more)
            {
                keys.RemoveRange(limit, keys.Count - limit);
            }

            return new KeyCache(keys, limit, more);
        }

        /// <summary>Whether <paramref name="key"/> is among the cached keys (false says nothing about the keys beyond them).</summary>
        public bool Contains(string key) => Keys.BinarySearch(key, KeyOrder.Instance) >= 0;

        /// <summary>Records a key this activation appended (new to the relation).</summary>
        public void Added(string key)
        {
            // In the store's order (UTF-8 bytes), which a post id outside the Basic Multilingual Plane would break for ordinal order.
            var at = Keys.BinarySearch(key, KeyOrder.Instance);
            if (at >= 0)
            {
                return;
            }

            if (~at < limit)
            {
                Keys.Insert(~at, key);
            }

            if (Keys.Count > limit)
            {
                Keys.RemoveAt(Keys.Count - 1);
                More = true;
            }
            else if (~at >= limit)
            {
                More = true;
            }
        }
    }
}
