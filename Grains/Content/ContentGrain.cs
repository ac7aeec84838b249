using Lineage.Grains.Edges;
using Lineage.Grains.Posts;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Content;

/// <summary>A piece of media by SHA-256: the posts carrying it, appended by the posts' own registrations.</summary>
[GrainType(GrainTypes.Content)]
public sealed class ContentGrain(IEdgeStore edges) : Grain, IContentGrain
{
    /// <inheritdoc />
    public Task<KeyPage> GetPosts(string? afterKey, int limit) => RelationPages.ReadKeysAsync(edges, GrainId, Relations.Posts, afterKey, limit);
}
