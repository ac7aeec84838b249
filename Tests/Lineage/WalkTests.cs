using Lineage.Grains;
using Lineage.Grains.Accounts;
using Lineage.Grains.Posts;
using Lineage.Grains.Subjects;
using Lineage.Grains.Walks;
using Lineage.Tests.Infrastructure;
using static Lineage.Tests.Domain.Sightings;

namespace Lineage.Tests.Domain;

public sealed class WalkTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private LineageSilo _silo = null!;

    public async ValueTask InitializeAsync() => _silo = await LineageSilo.StartAsync(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        _directory.Dispose();
    }

    private TraceWalker Tracer => new(_silo.Grains, TimeProvider.System);

    [Fact]
    public async Task A_post_with_100000_children_pages_through_all_of_them_in_key_order_and_a_budgeted_trace_says_it_was_cut()
    {
        var root = _silo.Grains.GetGrain<IPostGrain>("twitter/viral");
        await root.Register(At("viral", "origin", 0));
        var expected = Enumerable.Range(0, 100_000).Select(i => $"twitter/r{i:D6}").ToArray();
        foreach (var chunk in expected.Chunk(10_000))
        {
            await Task.WhenAll(chunk.Select(root.AddChild));
        }

        var registered = await _silo.Grains.GetGrain<IPostGrain>("twitter/r000001").Register(At("r000001", "a1", 1, parent: "viral"));
        Assert.Equal(Grains.Intake.RegistrationOutcome.Accepted, registered.Outcome);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await root.GetChildren(cursor, 7_000);
            seen.AddRange(page.Keys);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        var trace = await Tracer.TraceAsync("twitter/viral", new WalkLimits(MaxNodes: 500));
        Assert.True(trace.Completeness.Truncated);
        Assert.Contains("nodes", trace.Completeness.CutBy);
        Assert.Equal(["viral", "r000001"], trace.Nodes.Select(n => n.PostId));
    }

    [Fact]
    public async Task Trace_reports_origin_depth_accounts_subjects_and_pages_its_nodes()
    {
        // origin o <- a <- b <- c, and o <- d; accounts: u1 owns o and c.
        await Register(At("o", "u1", 0), At("a", "u2", 1, parent: "o"), At("b", "u3", 2, parent: "a"), At("c", "u1", 3, parent: "b"), At("d", "u4", 4, parent: "o"));
        await _silo.Grains.GetGrain<ISubjectGrain>("S1").Link("twitter/u1", 0.9, "analyst-1", "case-4", null);

        var trace = await Tracer.TraceAsync("twitter/b", WalkLimits.Default);

        Assert.Equal("o", trace.Origin!.PostId);
        Assert.Equal((5, 3, 4), (trace.NodeCount, trace.Depth, trace.AccountCount));
        Assert.Equal(["o", "a", "d", "b", "c"], trace.Nodes.Select(n => n.PostId));
        Assert.Equal([0, 1, 1, 2, 3], trace.Nodes.Select(n => n.Depth));
        Assert.Equal(("twitter/u1", 2), (trace.Accounts[0].Account, trace.Accounts[0].Posts));
        Assert.Equal(["S1"], trace.Accounts[0].Subjects);
        Assert.Equal(["S1"], trace.Subjects);
        Assert.False(trace.Completeness.Truncated);

        var page = await Tracer.TraceAsync("twitter/b", WalkLimits.Default, skip: 2, take: 2);
        Assert.Equal(["d", "b"], page.Nodes.Select(n => n.PostId));
        Assert.Equal(5, page.NodeCount);

        var shallow = await Tracer.TraceAsync("twitter/b", new WalkLimits(MaxDepth: 1));
        Assert.Equal(["o", "a", "d"], shallow.Nodes.Select(n => n.PostId));
        Assert.Equal(["depth"], shallow.Completeness.CutBy);
    }

    [Fact]
    public async Task Timeline_counts_posts_per_bucket_with_a_running_total()
    {
        await Register(At("t0", "u", 0), At("t1", "u", 1, parent: "t0"), At("t2", "u", 16, parent: "t0"), At("t3", "u", 17, parent: "t2"));

        var timeline = await Tracer.TimelineAsync("post:twitter/t3", WalkLimits.Default, TimeSpan.FromMinutes(15));

        Assert.Equal([(T0, 2, 2), (T0.AddMinutes(15), 2, 4)], timeline.Buckets.Select(b => (b.Start, b.Posts, b.Cumulative)));
    }

    [Fact]
    public async Task Account_walk_shows_whom_it_reshared_and_who_reshared_it()
    {
        await Register(At("p", "alice", 0), At("q", "bob", 1, parent: "p"), At("r", "carol", 2, parent: "q"), At("s", "carol", 3, parent: "q"));

        var report = await new AccountWalker(_silo.Grains, TimeProvider.System).ReportAsync("twitter/bob", WalkLimits.Default);

        Assert.Equal((1, 0, 1), (report.PostCount, report.Originals, report.Reshares));
        Assert.Equal([("twitter/alice", 1)], report.Reshared.Select(c => (c.Account, c.Count)));
        Assert.Equal([("twitter/carol", 2)], report.ResharedBy.Select(c => (c.Account, c.Count)));
        Assert.Equal(T0.AddMinutes(1), report.FirstSeen);
    }

    [Fact]
    public async Task Subject_walk_finds_co_sharing_subjects_within_the_hop_limit_and_unlinking_is_kept_in_history()
    {
        await Register(At("m1", "alice", 0), At("m2", "bob", 1, parent: "m1"), At("m3", "carol", 2, parent: "m2"));
        var subjects = _silo.Grains;
        await subjects.GetGrain<ISubjectGrain>("A").Link("twitter/alice", 0.8, "analyst", null, "same avatar");
        await subjects.GetGrain<ISubjectGrain>("B").Link("twitter/bob", 0.6, "analyst", null, null);
        await subjects.GetGrain<ISubjectGrain>("C").Link("twitter/carol", 0.7, "analyst", null, null);
        var walker = new SubjectWalker(subjects, TimeProvider.System);

        var oneHop = await walker.ReportAsync("A", WalkLimits.Default, hops: 1);
        Assert.Equal(["B"], oneHop.CoSharing.Select(c => c.SubjectId));
        Assert.Equal(["twitter/bob"], oneHop.CoSharing[0].ViaAccounts);
        Assert.Equal(1, Assert.Single(oneHop.Accounts).PostCount);

        var twoHops = await walker.ReportAsync("A", WalkLimits.Default, hops: 2);
        Assert.Equal([("B", 1), ("C", 2)], twoHops.CoSharing.Select(c => (c.SubjectId, c.Hops)));

        Assert.True(await subjects.GetGrain<ISubjectGrain>("B").Unlink("twitter/bob", "analyst", null, "wrong person"));
        Assert.False(await subjects.GetGrain<ISubjectGrain>("B").Unlink("twitter/bob", "analyst", null, null));
        Assert.Empty(await subjects.GetGrain<IAccountGrain>("twitter/bob").GetSubjects());
        Assert.Empty((await walker.ReportAsync("A", WalkLimits.Default)).CoSharing);
        Assert.Equal([true, false], (await subjects.GetGrain<ISubjectGrain>("B").GetHistory()).Select(e => e.Linked));
    }

    [Fact]
    public async Task Http_trace_json_carries_the_fields_scripts_rely_on()
    {
        await Register(At("h1", "u1", 0), At("h2", "u2", 1, parent: "h1"));

        var trace = await _silo.GetJsonAsync("/api/lineage/trace?post=twitter/h2");

        Assert.Equal("h1", trace.GetProperty("origin").GetProperty("postId").GetString());
        Assert.Equal(2, trace.GetProperty("nodeCount").GetInt32());
        Assert.Equal(1, trace.GetProperty("depth").GetInt32());
        Assert.Equal(2, trace.GetProperty("accountCount").GetInt32());
        var node = trace.GetProperty("nodes")[1];
        foreach (var field in new[] { "platform", "postId", "parentPostId", "account", "observedAt", "depth" })
        {
            Assert.True(node.TryGetProperty(field, out _), field);
        }

        Assert.Equal("h1", node.GetProperty("parentPostId").GetString());
        using var missing = await _silo.Http.GetAsync("/api/lineage/trace?post=twitter/nothing", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        using var bad = await _silo.Http.GetAsync("/api/lineage/trace?post=twitter/h1&maxNodes=0", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("maxNodes", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private async Task Register(params Grains.Intake.Sighting[] sightings)
    {
        foreach (var sighting in sightings)
        {
            var result = await _silo.Grains.GetGrain<IPostGrain>(sighting.PostKey).Register(sighting);
            Assert.Equal(Grains.Intake.RegistrationOutcome.Accepted, result.Outcome);
        }
    }
}
