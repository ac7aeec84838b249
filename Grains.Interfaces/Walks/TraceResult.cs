namespace Lineage.Grains.Walks;

/// <summary>A post in a walk's answer.</summary>
/// <param name="Platform">The platform.</param>
/// <param name="PostId">The post id.</param>
/// <param name="ParentPostId">The primary parent's post id (same platform); null for the origin.</param>
/// <param name="Account">The poster; null for a post referenced but not yet seen.</param>
/// <param name="ObservedAt">The earliest sighting; null when not yet seen.</param>
/// <param name="Depth">Levels below the origin (0 for the origin); hops above the start in a path.</param>
/// <param name="Seen">False for a post only referenced as a parent.</param>
/// <param name="Disputed">More than one parent is claimed.</param>
/// <param name="ObservedBeforeParent">Observed earlier than its parent (kept, flagged).</param>
public sealed record TraceNode(
    string Platform,
    string PostId,
    string? ParentPostId,
    string? Account,
    DateTimeOffset? ObservedAt,
    int Depth,
    bool Seen,
    bool Disputed,
    bool ObservedBeforeParent);

/// <summary>An account in a walk's answer: how many of the walked posts are its, and the subjects linked to it.</summary>
public sealed record AccountSummary(string Account, int Posts, IReadOnlyList<string> Subjects);

/// <summary>A post with more than one claimed parent: the parent chosen and every candidate.</summary>
public sealed record DisputedParent(string PostId, string? PrimaryParentPostId, IReadOnlyList<string> CandidateParentPostIds);

/// <summary>A post observed before the parent it claims.</summary>
public sealed record TimeAnomaly(string PostId, string ParentPostId, DateTimeOffset ObservedAt, DateTimeOffset ParentObservedAt);

/// <summary>Whether a walk was cut short, and by what ("depth", "nodes", "deadline").</summary>
public sealed record WalkCompleteness(bool Truncated, IReadOnlyList<string> CutBy)
{
    /// <summary>A complete walk.</summary>
    public static WalkCompleteness Complete { get; } = new(false, []);
}

/// <summary>The answer to "trace this item": its origin, the reshare tree, the accounts and subjects involved, disputes and anomalies.</summary>
/// <param name="Item">What was traced: "post:platform/postId" or "content:sha256".</param>
/// <param name="Origin">The origin (root of the reshare tree, or the earliest post carrying the content).</param>
/// <param name="NodeCount">Posts in the walked tree.</param>
/// <param name="Depth">Deepest level reached.</param>
/// <param name="AccountCount">Distinct accounts among the posts.</param>
/// <param name="Nodes">The requested page of posts, by depth then post id.</param>
/// <param name="Skip">Posts skipped before this page.</param>
/// <param name="Accounts">The accounts, most posts first.</param>
/// <param name="Subjects">Subjects linked to those accounts.</param>
/// <param name="Disputed">Posts with conflicting parent claims.</param>
/// <param name="Anomalies">Posts observed before their parents.</param>
/// <param name="Completeness">Whether a limit cut the walk short.</param>
public sealed record TraceResult(
    string Item,
    TraceNode? Origin,
    int NodeCount,
    int Depth,
    int AccountCount,
    IReadOnlyList<TraceNode> Nodes,
    int Skip,
    IReadOnlyList<AccountSummary> Accounts,
    IReadOnlyList<string> Subjects,
    IReadOnlyList<DisputedParent> Disputed,
    IReadOnlyList<TimeAnomaly> Anomalies,
    WalkCompleteness Completeness);

/// <summary>The way from a post up to its origin, the post first.</summary>
public sealed record PathResult(string Item, IReadOnlyList<TraceNode> Nodes, TraceNode? Origin, WalkCompleteness Completeness);

/// <summary>How an item spread: posts first observed in each time bucket, and the running total.</summary>
public sealed record TimelineResult(string Item, TimeSpan Bucket, IReadOnlyList<TimelineBucket> Buckets, int NodeCount, WalkCompleteness Completeness);

/// <summary>One bucket of a timeline.</summary>
public sealed record TimelineBucket(DateTimeOffset Start, int Posts, int Cumulative);

/// <summary>An account's activity: its posts, whom it reshared, who reshared it, and its subjects.</summary>
/// <param name="Account">"platform/account".</param>
/// <param name="PostCount">Posts claimed for it (walked).</param>
/// <param name="Originals">Its posts that reshare nothing.</param>
/// <param name="Reshares">Its posts that reshare another.</param>
/// <param name="FirstSeen">Earliest observation of its posts.</param>
/// <param name="LastSeen">Latest observation of its posts.</param>
/// <param name="Posts">Its posts (first page).</param>
/// <param name="Reshared">Accounts whose posts it reshared, with counts.</param>
/// <param name="ResharedBy">Accounts that reshared its posts, with counts.</param>
/// <param name="Subjects">Subjects linked to it.</param>
/// <param name="Completeness">Whether a limit cut the walk short.</param>
public sealed record AccountReport(
    string Account,
    int PostCount,
    int Originals,
    int Reshares,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    IReadOnlyList<TraceNode> Posts,
    IReadOnlyList<AccountCount> Reshared,
    IReadOnlyList<AccountCount> ResharedBy,
    IReadOnlyList<SubjectLinkEvent> Subjects,
    WalkCompleteness Completeness);

/// <summary>An account and how many times it appears in a relation.</summary>
public sealed record AccountCount(string Account, int Count);

/// <summary>A subject: its linked accounts and their activity, and the subjects they co-share with.</summary>
public sealed record SubjectReport(
    string SubjectId,
    IReadOnlyList<SubjectAccountActivity> Accounts,
    IReadOnlyList<CoSharingSubject> CoSharing,
    WalkCompleteness Completeness);

/// <summary>One linked account of a subject and its activity.</summary>
public sealed record SubjectAccountActivity(SubjectLinkEvent Link, int PostCount, int Reshares, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen);

/// <summary>Another subject whose accounts reshared, or were reshared by, this subject's accounts.</summary>
/// <param name="SubjectId">The other subject.</param>
/// <param name="Hops">1 when directly co-sharing; more when reached through other subjects.</param>
/// <param name="Interactions">Reshares between the two sides.</param>
/// <param name="ViaAccounts">The other subject's accounts involved.</param>
public sealed record CoSharingSubject(string SubjectId, int Hops, int Interactions, IReadOnlyList<string> ViaAccounts);
