using Lineage.Grains.Intake;

namespace Lineage.Grains.Posts;

/// <summary>The order that decides between claims: earliest observation, then source rank, then claim key. A total order over a
/// set of claims, so choices made with it do not depend on the order claims arrived in.</summary>
/// <param name="ObservedAt">The claim's observation time.</param>
/// <param name="Source">The claim's source.</param>
/// <param name="ClaimKey">The claim's key.</param>
public sealed record ClaimRank(DateTimeOffset ObservedAt, SightingSource Source, string ClaimKey)
{
    /// <summary>Negative when this rank comes first, positive when <paramref name="other"/> does (anything comes before nothing).</summary>
    public int CompareTo(ClaimRank? other)
    {
        if (other is null)
        {
            return -1;
        }

        var order = ObservedAt.UtcTicks.CompareTo(other.ObservedAt.UtcTicks);
        if (order == 0)
        {
            order = ((int)Source).CompareTo((int)other.Source);
        }

        return order != 0 ? order : string.CompareOrdinal(ClaimKey, other.ClaimKey);
    }

    /// <summary>Whether this rank comes before <paramref name="other"/> (anything comes before nothing).</summary>
    public bool Precedes(ClaimRank? other) => other is null || CompareTo(other) < 0;
}
