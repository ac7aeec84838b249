namespace Lineage.Grains.Posts;

/// <summary>A post's own small state: the deciding values chosen from its claims and one entry per distinct claimed parent.</summary>
/// <remarks>Every field is a minimum or a union over the post's claims, so the state is the same whatever order the claims came in,
/// and registering the same claim again leaves it unchanged. Claims themselves are edge rows, not part of this blob.</remarks>
public sealed class PostState
{
    /// <summary>The deciding claim for account and time: the earliest by <see cref="ClaimRank"/>.</summary>
    public ClaimRank? First { get; set; }

    /// <summary>The account of <see cref="First"/>.</summary>
    public string? Account { get; set; }

    /// <summary>Every account any claim names, in key order (more than one means the claims disagree).</summary>
    public List<string> Accounts { get; set; } = [];

    /// <summary>The earliest claim carrying a URL, and its URL.</summary>
    public ClaimRank? UrlRank { get; set; }

    /// <summary>The URL.</summary>
    public string? Url { get; set; }

    /// <summary>The earliest claim carrying a content fingerprint, and its fingerprints.</summary>
    public ClaimRank? ContentRank { get; set; }

    /// <summary>The media's SHA-256.</summary>
    public string? ContentSha256 { get; set; }

    /// <summary>The media's PDQ hash.</summary>
    public string? Pdq { get; set; }

    /// <summary>The PDQ hash's quality.</summary>
    public int? PdqQuality { get; set; }

    /// <summary>One entry per distinct parent claimed, each with the earliest claim naming it; in parent-key order.</summary>
    public List<ParentClaim> Parents { get; set; } = [];
}

/// <summary>A parent named by some of a post's claims, and the earliest of those claims.</summary>
public sealed record ParentClaim(string ParentKey, ClaimRank Earliest);
