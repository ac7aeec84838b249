namespace Lineage.Grains;

/// <summary>Names of the growing relations kept as edge rows (see the edge store).</summary>
public static class Relations
{
    /// <summary>Post → its claims (one row per distinct sighting, keyed by claim key).</summary>
    public const string Claims = "claims";

    /// <summary>Post → posts claiming it as parent (keyed by child key).</summary>
    public const string Children = "children";

    /// <summary>Account, content or referral → posts (keyed by post key).</summary>
    public const string Posts = "posts";

    /// <summary>Subject → link decisions; account → subject link decisions.</summary>
    public const string Links = "links";

    /// <summary>PDQ hash → its owners (keyed by post key and content fingerprint, see <c>PdqOwner</c>).</summary>
    public const string Owners = "owners";

    /// <summary>PDQ hash → the hashes recorded as linked under it in its near-duplicate group (keyed by hash).</summary>
    public const string GroupMembers = "members";
}
