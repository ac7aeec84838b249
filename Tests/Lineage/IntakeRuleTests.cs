using Lineage.Grains;
using Lineage.Grains.Intake;
using Lineage.Grains.Posts;
using Lineage.Grains.Walks;
using Lineage.Tests.Infrastructure;
using static Lineage.Tests.Domain.Sightings;

namespace Lineage.Tests.Domain;

public sealed class IntakeRuleTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private LineageSilo _silo = null!;

    public async ValueTask InitializeAsync() => _silo = await LineageSilo.StartAsync(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        _directory.Dispose();
    }

    private IPostGrain Post(string id) => _silo.Grains.GetGrain<IPostGrain>("twitter/" + id);

    [Fact]
    public async Task The_same_sighting_twice_changes_nothing_and_another_source_adds_provenance_not_a_post()
    {
        var sighting = At("1", "alice", 0);
        Assert.Equal(RegistrationOutcome.Accepted, (await Post("1").Register(sighting)).Outcome);
        Assert.Equal(RegistrationOutcome.Duplicate, (await Post("1").Register(sighting)).Outcome);
        var fromPartner = sighting with { Source = SightingSource.Partner, SourceRef = "report-7", ObservedAt = T0.AddMinutes(3) };
        Assert.Equal(RegistrationOutcome.Accepted, (await Post("1").Register(fromPartner)).Outcome);

        var claims = await Post("1").GetClaims(null, 10);
        Assert.Equal(2, claims.Claims.Count);
        Assert.Contains(claims.Claims, c => c.Sighting.Source == SightingSource.Partner && c.Sighting.SourceRef == "report-7");
        var node = await Post("1").GetNode(10);
        Assert.Equal(T0, node.ObservedAt);
        Assert.Equal("alice", node.Account);
        var account = await _silo.Grains.GetGrain<Grains.Accounts.IAccountGrain>("twitter/alice").GetPosts(null, 10);
        Assert.Equal(["twitter/1"], account.Keys);
    }

    [Fact]
    public async Task Conflicting_parents_are_all_kept_shown_as_disputed_and_the_earliest_claim_decides()
    {
        await Post("a").Register(At("a", "u1", 0));
        await Post("b").Register(At("b", "u2", 1));
        var late = await Post("c").Register(At("c", "u3", 9, parent: "a"));
        var early = await Post("c").Register(At("c", "u3", 5, parent: "b", source: SightingSource.Platform));

        Assert.False(late.DisputedParent);
        Assert.True(early.DisputedParent);
        var node = await Post("c").GetNode(0);
        Assert.True(node.Disputed);
        Assert.Equal("twitter/b", node.PrimaryParentKey);
        Assert.Equal(["twitter/a", "twitter/b"], node.Parents.Select(p => p.ParentKey));
        Assert.Equal([false, true], node.Parents.Select(p => p.Primary));
        Assert.Equal(["twitter/c"], (await Post("a").GetChildren(null, 10)).Keys);

        var trace = await new TraceWalker(_silo.Grains, TimeProvider.System).TraceAsync("twitter/c", WalkLimits.Default);
        Assert.Equal("b", trace.Origin!.PostId);
        var disputed = Assert.Single(trace.Disputed);
        Assert.Equal(("c", "b"), (disputed.PostId, disputed.PrimaryParentPostId));
        Assert.Equal(["a", "b"], disputed.CandidateParentPostIds);
    }

    [Fact]
    public async Task Equally_early_parent_claims_are_decided_by_source_rank()
    {
        await Post("p1").Register(At("p1", "u", 0));
        await Post("p2").Register(At("p2", "u", 0));
        await Post("k").Register(At("k", "v", 5, parent: "p1", source: SightingSource.Crawler));
        await Post("k").Register(At("k", "v", 5, parent: "p2", source: SightingSource.Partner));

        Assert.Equal("twitter/p2", (await Post("k").GetNode(0)).PrimaryParentKey);
    }

    [Fact]
    public async Task A_post_claiming_itself_or_a_descendant_as_parent_is_refused_with_a_reason_and_nothing_is_recorded()
    {
        var self = await Post("s").Register(At("s", "u", 0, parent: "s"));
        Assert.Equal(RegistrationOutcome.Refused, self.Outcome);
        Assert.Equal("parentPostId: a post cannot be its own parent", self.Reason);

        await Post("x").Register(At("x", "u", 0));
        await Post("y").Register(At("y", "u", 1, parent: "x"));
        await Post("z").Register(At("z", "u", 2, parent: "y"));
        var cycle = await Post("x").Register(At("x", "u", 0, parent: "z"));

        Assert.Equal(RegistrationOutcome.Refused, cycle.Outcome);
        Assert.StartsWith("parentPostId: z descends from x", cycle.Reason, StringComparison.Ordinal);
        Assert.Empty((await Post("x").GetNode(0)).Parents);
        Assert.Single((await Post("x").GetClaims(null, 10)).Claims);
        Assert.Empty((await Post("z").GetChildren(null, 10)).Keys);
        var path = await new PathWalker(_silo.Grains, TimeProvider.System).PathAsync("twitter/z", WalkLimits.Default);
        Assert.Equal(["z", "y", "x"], path.Nodes.Select(n => n.PostId));
        Assert.False(path.Completeness.Truncated);
    }

    [Fact]
    public async Task A_child_observed_before_its_parent_is_kept_and_flagged()
    {
        await Post("parent").Register(At("parent", "u", 10));
        var child = await Post("child").Register(At("child", "v", 3, parent: "parent"));

        Assert.Equal(RegistrationOutcome.Accepted, child.Outcome);
        Assert.True(child.ChildBeforeParent);
        var trace = await new TraceWalker(_silo.Grains, TimeProvider.System).TraceAsync("twitter/parent", WalkLimits.Default);
        var anomaly = Assert.Single(trace.Anomalies);
        Assert.Equal(("child", "parent", T0.AddMinutes(3), T0.AddMinutes(10)), (anomaly.PostId, anomaly.ParentPostId, anomaly.ObservedAt, anomaly.ParentObservedAt));
        Assert.True(trace.Nodes.Single(n => n.PostId == "child").ObservedBeforeParent);
    }

    [Fact]
    public async Task A_child_arriving_first_leaves_its_parent_referenced_but_not_seen_until_it_arrives()
    {
        await Post("kid").Register(At("kid", "v", 5, parent: "mum"));
        var walker = new TraceWalker(_silo.Grains, TimeProvider.System);

        var before = await walker.TraceAsync("twitter/kid", WalkLimits.Default);
        Assert.Equal(("mum", false, (string?)null), (before.Origin!.PostId, before.Origin.Seen, before.Origin.Account));
        Assert.Equal(2, before.NodeCount);

        await Post("mum").Register(At("mum", "u", 0));
        var after = await walker.TraceAsync("twitter/kid", WalkLimits.Default);
        Assert.Equal(("mum", true, "u"), (after.Origin!.PostId, after.Origin.Seen, after.Origin.Account));
        Assert.Equal(["mum", "kid"], after.Nodes.Select(n => n.PostId));
    }

    [Fact]
    public async Task Public_referral_ids_and_content_fingerprints_collect_their_posts()
    {
        var sha = new string('a', 64);
        await Post("r1").Register(At("r1", "u", 0, source: SightingSource.PublicReferral, sourceRef: "REF-1", sha: sha));
        await Post("r2").Register(At("r2", "v", 1, source: SightingSource.PublicReferral, sourceRef: "REF-1", sha: sha, parent: "r1"));

        Assert.Equal(["twitter/r1", "twitter/r2"], (await _silo.Grains.GetGrain<Grains.Referrals.IReferralGrain>("REF-1").GetItems(null, 10)).Keys);
        var trace = await new TraceWalker(_silo.Grains, TimeProvider.System).TraceContentAsync(sha, WalkLimits.Default);
        Assert.Equal("r1", trace.Origin!.PostId);
        Assert.Equal(2, trace.NodeCount);
        Assert.Equal(sha, (await Post("r2").GetNode(0)).ContentSha256);
    }
}
