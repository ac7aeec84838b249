using Lineage.Client.Commands;
using Lineage.Grains.Similarity;
using Lineage.Grains.Walks;
using Spectre.Console;

namespace Lineage.Tests.Client;

public sealed class LineageFormattingTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_trace_prints_as_a_tree_under_each_parent_with_its_flags_and_says_when_it_was_cut_short()
    {
        TraceNode[] nodes =
        [
            new("twitter", "o", null, "alice", T0, 0, true, false, false),
            new("twitter", "a", "o", "bob", T0.AddMinutes(1), 1, true, true, false),
            new("twitter", "d", "o", null, null, 1, false, false, false),
            new("twitter", "b", "a", "carol", T0.AddMinutes(-1), 2, true, false, true),
        ];
        var trace = new TraceResult("post:twitter/o", nodes[0], 4, 2, 3, nodes, 0, [new AccountSummary("twitter/alice", 1, ["S1"])], ["S1"],
            [new DisputedParent("a", "o", ["o", "x"])], [new TimeAnomaly("b", "a", T0.AddMinutes(-1), T0.AddMinutes(1))], new WalkCompleteness(true, ["nodes"]),
            "pdq:00ff", [new NearDuplicatePost("twitter", "z", "00ff", 12)]);

        var text = Render(console => LineageRendering.Trace(console, trace));
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();

        Assert.Contains(lines, l => l.EndsWith("└── o alice 2024-05-01 12:00:00Z", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("├── a bob 2024-05-01 12:01:00Z disputed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("│   └── b carol 2024-05-01 11:59:00Z before parent", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("└── d ? - (referenced, not yet seen)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("near-duplicate z at distance 12", StringComparison.Ordinal));
        Assert.Contains("cut short by nodes", text, StringComparison.Ordinal);
        Assert.Contains("disputed a: parent o chosen of o, x", text, StringComparison.Ordinal);
        Assert.Contains("earlier than its parent b at 2024-05-01 11:59:00Z, parent a at 2024-05-01 12:01:00Z", text, StringComparison.Ordinal);
        Assert.Contains("4 posts, depth 2, 3 accounts, 1 subjects, 1 disputed, 1 time anomalies", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_paged_trace_says_which_posts_it_shows()
    {
        TraceNode[] page = [new("twitter", "p", null, "u", T0, 0, true, false, false)];
        var trace = new TraceResult("post:twitter/p", page[0], 30, 1, 1, page, 10, [], [], [], [], WalkCompleteness.Complete, null, []);

        Assert.Contains("posts 11-11 of 30 shown; page with --skip and --take", Render(console => LineageRendering.Trace(console, trace)), StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_progress_reads_as_rate_and_counts() =>
        Assert.Equal("12,345 records/s  1,000 accepted  2 duplicate  3 refused", IngestCommand.Describe(new IngestProgress(0, 1000, 2, 3, 12_345.4)));

    [Fact]
    public void Similar_matches_list_their_distance_and_first_posts_and_count_the_rest()
    {
        var near = new string('a', 64);
        var far = new string('b', 64);
        PdqOwner[] Owners(int count) => [.. Enumerable.Range(0, count).Select(i => new PdqOwner("sha256:x", $"twitter/p{i}"))];
        var similar = new SimilarResult(new string('c', 64), 90, 31, true, null,
            [new NearDuplicateMatch(near, 4, 88, Owners(7)), new NearDuplicateMatch(far, 29, 60, Owners(1000), MoreOwners: true)],
            ["pdq:" + near]);

        var lines = Render(console => LineageRendering.Similar(console, similar)).Split('\n').Select(l => l.TrimEnd()).ToList();

        Assert.Contains(lines, l => l.StartsWith("2 indexed hashes within 31 bits of " + new string('c', 64), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(near, StringComparison.Ordinal) && l.Contains("twitter/p0, twitter/p1, twitter/p2, twitter/p3, twitter/p4 and 2 others", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(far, StringComparison.Ordinal) && l.Contains("and over 995 others", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("It would join pdq:" + near, StringComparison.Ordinal));
        Assert.Contains("Not searched: quality 10 is below the floor of 50",
            Render(console => LineageRendering.Similar(console, similar with { Searched = false, RefusedBecause = "quality 10 is below the floor of 50" })), StringComparison.Ordinal);
    }

    private static string Render(Action<IAnsiConsole> render)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        render(console);
        return writer.ToString();
    }
}
