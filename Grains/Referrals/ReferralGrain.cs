using Lineage.Grains.Edges;
using Lineage.Grains.Posts;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Referrals;

/// <summary>A referral as intake sees it: the posts sighted under its id, appended by the posts' own registrations.</summary>
[GrainType(GrainTypes.Referral)]
public sealed class ReferralGrain(IEdgeStore edges) : Grain, IReferralGrain
{
    /// <inheritdoc />
    public Task<KeyPage> GetItems(string? afterKey, int limit) => RelationPages.ReadKeysAsync(edges, GrainId, Relations.Posts, afterKey, limit);
}
