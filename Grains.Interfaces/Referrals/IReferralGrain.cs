using Lineage.Grains.Posts;
using Lineage.Runtime;

namespace Lineage.Grains.Referrals;

/// <summary>A public referral, keyed by referral id; intake records the posts sighted under it (the rest of the referral
/// workflow arrives with the referrals issue).</summary>
public interface IReferralGrain : IGrainWithStringKey
{
    /// <summary>A page of the keys of posts sighted under this referral, in key order, after <paramref name="afterKey"/>.</summary>
    [ReadOnly]
    Task<KeyPage> GetItems(string? afterKey, int limit);
}
