namespace Lineage.Grains.Posts;

/// <summary>A post as walks see it: its deciding fields, its parent candidates, and the first page of its children.</summary>
/// <param name="Key">"platform/postId".</param>
/// <param name="Platform">The platform.</param>
/// <param name="PostId">The post id.</param>
/// <param name="Seen">False for a post only referenced as a parent so far.</param>
/// <param name="Account">The poster, from the deciding (earliest) claim; null when not seen.</param>
/// <param name="ObservedAt">The earliest sighting; null when not seen.</param>
/// <param name="PrimaryParentKey">The parent chosen for the reshare tree; null for a root.</param>
/// <param name="Parents">Every parent claimed, with the primary one marked; more than one means disputed.</param>
/// <param name="OtherAccounts">Accounts named by other claims when they disagree with <paramref name="Account"/>.</param>
/// <param name="Url">Where it was seen.</param>
/// <param name="ContentSha256">The media's SHA-256.</param>
/// <param name="Pdq">The media's PDQ hash.</param>
/// <param name="PdqQuality">The PDQ hash's quality.</param>
/// <param name="Children">Keys of the first children (posts claiming this one as parent), in key order.</param>
/// <param name="ChildrenCursor">Where the next page of children starts; null when <paramref name="Children"/> is all of them.</param>
public sealed record PostNode(
    string Key,
    string Platform,
    string PostId,
    bool Seen,
    string? Account,
    DateTimeOffset? ObservedAt,
    string? PrimaryParentKey,
    IReadOnlyList<ParentCandidate> Parents,
    IReadOnlyList<string> OtherAccounts,
    string? Url,
    string? ContentSha256,
    string? Pdq,
    int? PdqQuality,
    IReadOnlyList<string> Children,
    string? ChildrenCursor)
{
    /// <summary>More than one parent is claimed.</summary>
    public bool Disputed => Parents.Count > 1;
}

/// <summary>A parent claimed for a post, with what decides between candidates.</summary>
/// <param name="ParentKey">The claimed parent's key.</param>
/// <param name="EarliestObservedAt">The earliest observation among the claims naming it.</param>
/// <param name="EarliestSource">The source of that earliest claim.</param>
/// <param name="Primary">Whether it is the chosen parent.</param>
public sealed record ParentCandidate(string ParentKey, DateTimeOffset EarliestObservedAt, Intake.SightingSource EarliestSource, bool Primary);

/// <summary>A page of keys in key order; <paramref name="NextCursor"/> continues it, null at the end.</summary>
public sealed record KeyPage(IReadOnlyList<string> Keys, string? NextCursor);

/// <summary>One claim about a post: the sighting as reported and when Lineage registered it.</summary>
/// <param name="ClaimKey">The claim's identity (a digest of the sighting's fields), stable across sources of the same report.</param>
/// <param name="Sighting">What was reported.</param>
/// <param name="RegisteredAt">When Lineage first recorded it.</param>
public sealed record Claim(string ClaimKey, Intake.Sighting Sighting, DateTimeOffset RegisteredAt);

/// <summary>A page of claims in claim-key order; <paramref name="NextCursor"/> continues it, null at the end.</summary>
public sealed record ClaimPage(IReadOnlyList<Claim> Claims, string? NextCursor);

/// <summary>One step up the claimed-parent graph: when the post was observed and every parent it claims.</summary>
public sealed record AncestryStep(DateTimeOffset? ObservedAt, IReadOnlyList<string> ParentKeys);
