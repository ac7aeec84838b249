using Lineage.Grains.Posts;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Edges;

/// <summary>Reads relations whose rows matter only by key (the posts of an account, the children of a post) as pages of keys.</summary>
internal static class RelationPages
{
    /// <summary>Largest page a caller may ask for.</summary>
    public const int MaxPage = 10_000;

    public static async Task<KeyPage> ReadKeysAsync(IEdgeStore edges, GrainId owner, string relation, string? afterKey, int limit)
    {
        var page = await edges.ReadAsync(owner, relation, afterKey, Math.Clamp(limit, 1, MaxPage), CancellationToken.None);
        var keys = new string[page.Rows.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = page.Rows[i].Key;
        }

        return new KeyPage(keys, page.NextCursor);
    }

    /// <summary>A single empty-payload row keyed <paramref name="key"/>.</summary>
    public static EdgeRow[] KeyRow(string key) => [new EdgeRow(key, ReadOnlyMemory<byte>.Empty)];
}
