namespace Lineage.Grains.Intake;

/// <summary>One sighting of a post: who posted it, when it was seen, what it reshared, and who reported it (the intake contract).</summary>
/// <param name="Platform">Platform name, lower case (e.g. "twitter").</param>
/// <param name="PostId">The post's id, unique within the platform.</param>
/// <param name="Account">The poster's platform id or handle.</param>
/// <param name="ObservedAt">When the post was seen (or posted, when the source knows).</param>
/// <param name="ParentPostId">The post this one reshared, quoted or replied to, on the same platform.</param>
/// <param name="Url">Where the post was seen.</param>
/// <param name="ContentSha256">SHA-256 of the media, 64 lower-case hex digits.</param>
/// <param name="Pdq">PDQ perceptual hash of the media, 64 lower-case hex digits.</param>
/// <param name="PdqQuality">The PDQ hash's quality, 0-100.</param>
/// <param name="Source">Who reported the sighting.</param>
/// <param name="SourceRef">The reporter's reference, e.g. a referral id.</param>
public sealed record Sighting(
    string Platform,
    string PostId,
    string Account,
    DateTimeOffset ObservedAt,
    string? ParentPostId = null,
    string? Url = null,
    string? ContentSha256 = null,
    string? Pdq = null,
    int? PdqQuality = null,
    SightingSource Source = SightingSource.Crawler,
    string? SourceRef = null)
{
    /// <summary>The post's grain key, "platform/postId".</summary>
    public string PostKey => PostKeys.Compose(Platform, PostId);

    /// <summary>The parent's grain key, or null.</summary>
    public string? ParentKey => ParentPostId is null ? null : PostKeys.Compose(Platform, ParentPostId);

    /// <summary>The account's grain key, "platform/account".</summary>
    public string AccountKey => PostKeys.Compose(Platform, Account);

    /// <summary>The first problem with this sighting as "field: reason", or null when it is valid.</summary>
    public string? Validate() => SightingRules.Validate(this);
}
