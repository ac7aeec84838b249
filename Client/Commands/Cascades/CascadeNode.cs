using System.Globalization;

namespace Lineage.Client.Commands.Cascades;

/// <summary>A node of a Twitter15/16 tree as the file spells it: only the three together identify it, because plain retweets reuse
/// the source tweet's id.</summary>
/// <param name="Uid">The user id.</param>
/// <param name="TweetId">The tweet id.</param>
/// <param name="Delay">Minutes after the source tweet, exactly as written.</param>
internal readonly record struct CascadeNode(string Uid, string TweetId, string Delay)
{
    /// <summary>The delay in minutes.</summary>
    public double Minutes => double.Parse(Delay, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Orders nodes by delay, then user, then tweet, then the delay's spelling: a total order independent of file order.</summary>
    public static int Compare(CascadeNode a, CascadeNode b)
    {
        var order = a.Minutes.CompareTo(b.Minutes);
        if (order == 0)
        {
            order = string.CompareOrdinal(a.Uid, b.Uid);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(a.TweetId, b.TweetId);
        }

        return order != 0 ? order : string.CompareOrdinal(a.Delay, b.Delay);
    }
}
