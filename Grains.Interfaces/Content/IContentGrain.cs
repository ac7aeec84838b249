using Lineage.Grains.Posts;
using Lineage.Runtime;

namespace Lineage.Grains.Content;

/// <summary>A piece of media, keyed by its SHA-256 (64 lower-case hex digits): the posts carrying it.</summary>
public interface IContentGrain : IGrainWithStringKey
{
    /// <summary>A page of the keys of posts carrying this content, in key order, after <paramref name="afterKey"/>.</summary>
    [ReadOnly]
    Task<KeyPage> GetPosts(string? afterKey, int limit);
}
