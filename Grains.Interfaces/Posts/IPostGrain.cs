using Lineage.Grains.Intake;
using Lineage.Runtime;

namespace Lineage.Grains.Posts;

/// <summary>A post, keyed "platform/postId": its claims (sightings with provenance), its chosen parent and its children.</summary>
/// <remarks>A post that other posts name as parent but that no sighting has reported yet exists as "referenced, not yet seen".</remarks>
public interface IPostGrain : IGrainWithStringKey
{
    /// <summary>Records a sighting of this post; returns once everything it recorded is durable.</summary>
    Task<RegistrationResult> Register(Sighting sighting);

    /// <summary>Records that <paramref name="childPostKey"/> claims this post as parent; returns once durable.</summary>
    [AlwaysInterleave]
    Task AddChild(string childPostKey);

    /// <summary>When this post was first observed and the keys of every parent its claims name, including claims still being
    /// registered (for cycle checks, which must see them; not only the primary parent).</summary>
    [AlwaysInterleave]
    Task<AncestryStep> GetAncestryStep();

    /// <summary>This post as a node of the lineage graph, with the first <paramref name="childLimit"/> children's keys (none for 0).</summary>
    [ReadOnly]
    Task<PostNode> GetNode(int childLimit);

    /// <summary>A page of the keys of posts that claim this one as parent, in key order, after <paramref name="afterKey"/>.</summary>
    [ReadOnly]
    Task<KeyPage> GetChildren(string? afterKey, int limit);

    /// <summary>A page of this post's claims with their provenance, in claim-key order, after <paramref name="afterKey"/>.</summary>
    [ReadOnly]
    Task<ClaimPage> GetClaims(string? afterKey, int limit);
}
