using System.Text;
using System.Text.Json;
using Lineage.Grains.Intake;
using Lineage.Grains.Posts;
using Lineage.Grains.Subjects;
using Lineage.Grains.Walks;
using Lineage.Runtime;
using Lineage.Runtime.Hosting;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Domain;

/// <summary>The lineage across silos: a real cascade ingested through one silo of a cluster reads the same from every silo and from
/// a cluster client as from a single silo, with grain calls, their records and the shared edge store crossing between silos.</summary>
public sealed class CrossSiloTests
{
    // A tree with nodes that have several parents (disputed posts), and one without quirks.
    private const string DisputedTree = "twitter16/tree/544305540286148609.txt";
    internal const string PlainTree = "twitter15/tree/576513463738109954.txt";

    internal static readonly WalkLimits Limits = new(MaxNodes: 100_000, Deadline: TimeSpan.FromMinutes(1));

    [Theory]
    [InlineData(DisputedTree)]
    [InlineData(PlainTree)]
    public async Task A_cascade_ingested_through_one_silo_traces_the_same_from_every_silo_and_a_client_as_on_a_single_silo(string treePath)
    {
        var lines = RealCascades.SightingLines(treePath);
        var root = "twitter/" + Path.GetFileNameWithoutExtension(treePath);

        Answers expected;
        IntakeReport expectedReport;
        using (var directory = new TempDirectory())
        {
            await using var single = await LineageSilo.StartAsync(directory.Path);
            expectedReport = await single.IngestAsync(lines);
            expected = await AnswersAsync(single.Grains, root);
        }

        Assert.Equal(0, expectedReport.Refused);
        Assert.True(treePath != DisputedTree || expected.Trace.Disputed.Count > 0, "the disputed tree should show disputed posts");
        Assert.True(expected.Trace.NodeCount > 50, $"the tree {treePath} should be big enough to spread over silos");

        await using var cluster = await TestCluster.StartAsync(3, configureSilo: s => s.AddSqliteEdgeStore());
        var report = await new IntakeDispatcher(cluster.Silos[0].GrainFactory).RegisterAsync(Parse(lines));
        // Flags depend on which claims had landed when each was checked, so only the counts are compared.
        Assert.Equal(
            (expectedReport.Received, expectedReport.Accepted, expectedReport.Duplicates, expectedReport.Refused),
            (report.Received, report.Accepted, report.Duplicates, report.Refused));

        // Posts of this tree live on every silo, so the walks below call across silos and read edge rows other silos wrote.
        var owners = expected.Trace.Nodes
            .Select(n => cluster.Silos[0].OwnerOf(cluster.Silos[0].GrainFactory.GetGrain<IPostGrain>($"{n.Platform}/{n.PostId}").GetGrainId()))
            .Distinct()
            .Count();
        Assert.Equal(3, owners);

        var client = await cluster.ConnectClientAsync();
        foreach (var (name, factory) in cluster.Silos.Select((s, i) => ($"silo {i}", s.GrainFactory)).Append(("client", (IGrainFactory)client)))
        {
            var answers = await AnswersAsync(factory, root);
            Assert.True(expected.Json == answers.Json, $"{name} answered differently from a single silo");
        }
    }

    [Fact]
    public async Task Subject_links_made_through_a_client_show_in_traces_on_every_silo()
    {
        var lines = RealCascades.SightingLines(PlainTree);
        var root = "twitter/" + Path.GetFileNameWithoutExtension(PlainTree);
        await using var cluster = await TestCluster.StartAsync(2, configureSilo: s => s.AddSqliteEdgeStore());
        await new IntakeDispatcher(cluster.Silos[1].GrainFactory).RegisterAsync(Parse(lines));
        var client = await cluster.ConnectClientAsync();
        var origin = (await new TraceWalker(client, TimeProvider.System).TraceAsync(root, Limits)).Origin!;
        var account = $"{origin.Platform}/{origin.Account}";

        var link = await client.GetGrain<ISubjectGrain>("S-cross").Link(account, 0.75, "analyst-3", "case-9", "same avatar");

        Assert.Equal(("S-cross", account, true, 0.75), (link.SubjectId, link.AccountKey, link.Linked, link.Confidence));
        foreach (var silo in cluster.Silos)
        {
            var trace = await new TraceWalker(silo.GrainFactory, TimeProvider.System).TraceAsync(root, Limits);
            Assert.Equal(["S-cross"], trace.Subjects);
            var subject = await new SubjectWalker(silo.GrainFactory, TimeProvider.System).ReportAsync("S-cross", Limits);
            Assert.Equal(account, Assert.Single(subject.Accounts).Link.AccountKey);
        }
    }

    internal static List<(int Line, SightingParse Parse)> Parse(IReadOnlyList<string> lines) =>
        lines.Select((line, i) => (i + 1, SightingReader.Parse(Encoding.UTF8.GetBytes(line)))).ToList();

    internal static async Task<Answers> AnswersAsync(IGrainFactory grains, string root)
    {
        var trace = await new TraceWalker(grains, TimeProvider.System).TraceAsync(root, Limits);
        var deepest = trace.Nodes.OrderByDescending(n => n.Depth).ThenBy(n => n.PostId, StringComparer.Ordinal).First();
        var path = await new PathWalker(grains, TimeProvider.System).PathAsync($"{deepest.Platform}/{deepest.PostId}", Limits);
        var account = await new AccountWalker(grains, TimeProvider.System).ReportAsync($"{trace.Origin!.Platform}/{trace.Origin.Account}", Limits);
        var disputed = trace.Disputed.Count > 0
            ? await grains.GetGrain<IPostGrain>($"{trace.Origin.Platform}/{trace.Disputed[0].PostId}").GetNode(10)
            : null;
        return new Answers(trace, Json(trace) + Json(path) + Json(account) + Json(disputed));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, LineageSilo.Json);

    internal sealed record Answers(TraceResult Trace, string Json);
}
