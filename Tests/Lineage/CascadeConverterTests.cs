using System.Text.Json;
using System.Text.RegularExpressions;
using Lineage.Client.Commands.Cascades;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Domain;

public sealed partial class CascadeConverterTests
{
    [Fact]
    public void Every_quirk_of_the_raw_trees_is_repaired_or_refused_and_counted()
    {
        const string tree = """
            ['ROOT', 'ROOT', '0.0']->['1', '100', '0.0']
            ['1', '100', '0.0']->['2', '100', '1.5']
            ['1', '100', '0.0']->['2', '100', '1.5']
            ['1', '100', '0.0']->['3', '300', '2.0']
            ['3', '300', '2.0']->['3', '300', '2.0']
            ['3', '300', '2.0']->['4', '400', '3.0']
            ['4', '400', '3.0']->['3', '300', '2.0']
            ['4', '400', '3.0']->['5', '500', '4.0']
            ['5', '500', '4.0']->['6', '600', '5.0']
            ['6', '600', '5.0']->['4', '400', '3.0']
            ['2', '100', '1.5']->['7', '700', '1.0']
            ['1', '100', '0.0']->['7', '700', '1.0']
            ['1', '100', '0.0']->['8', '800', '-2.0']
            this is not an edge
            ['1', '100', '0.0']->['2', '100', '9.0']
            """;
        var (sightings, report) = Convert(("twitter15/tree/100.txt", tree));

        Assert.Equal((1, 1, 1, 1, 1), (report.DuplicateLinesDropped, report.SelfLoopsDropped, report.TwoNodeCycleEdgesDropped, report.LongerCycleEdgesDropped, report.MalformedLines));
        Assert.Equal((1, 2, 1), (report.NodesWithSeveralParents, report.ChildrenEarlierThanParents, report.NegativeDelays));
        Assert.Equal(["twitter15/tree/100.txt:14: not an edge of the form ['uid', 'tweet', 'delay']->['uid', 'tweet', 'delay']"], report.Refused);
        Assert.Equal(2, report.RetweetIdsDerived);

        var byPost = sightings.GroupBy(s => s.PostId).ToDictionary(g => g.Key, g => string.Join(",", g.Select(s => s.ParentPostId ?? "-").Order(StringComparer.Ordinal)));
        Assert.Equal("-", byPost["100"]);
        Assert.Equal("100", byPost["100-rt-2"]);
        Assert.Equal("100", byPost["100-rt-2-9.0"]);
        Assert.Equal("100", byPost["300"]);
        Assert.Equal("300", byPost["400"]);          // 4->3 dropped: its parent (4, at 3.0) comes after 3 (at 2.0)
        Assert.Equal("400", byPost["500"]);
        Assert.Equal("500", byPost["600"]);          // 6->4 closes 4->5->6->4 and is the back edge
        Assert.Equal("100,100-rt-2", byPost["700"]);
        Assert.Equal("2014-12-31T23:58:00.000Z", sightings.Single(s => s.PostId == "800").ObservedAt);
        Assert.All(sightings, s => Assert.Equal("twitter15/100", s.SourceRef));
    }

    [Fact]
    public void A_tree_in_both_sets_is_written_once_and_a_root_naming_another_tweet_is_reported()
    {
        const string tree = "['ROOT', 'ROOT', '0.0']->['1', '5', '0.0']\n['1', '5', '0.0']->['2', '6', '1.0']";
        var (sightings, report) = Convert(("twitter15/tree/5.txt", tree), ("twitter16/tree/5.txt", tree), ("twitter16/tree/9.txt", tree));

        Assert.Equal((3, 2, 1), (report.Files, report.Trees, report.IdenticalTreesSkipped));
        Assert.Equal(1, report.RootsNotTheNamedTweet);
        Assert.Equal(2, report.PostIdsSharedBetweenTrees);
        Assert.Equal(4, sightings.Count);
    }

    [Theory]
    [InlineData("twitter15/tree/576513463738109954.txt")]
    [InlineData("twitter15/tree/524932056560963584.txt")]
    [InlineData("twitter16/tree/661222523275636736.txt")]
    public async Task Real_trees_trace_to_the_answers_computed_from_their_raw_edges(string treePath)
    {
        // All three in one pass over the archive.
        var raw = RealCascades.Raw("twitter15/tree/576513463738109954.txt", "twitter15/tree/524932056560963584.txt", "twitter16/tree/661222523275636736.txt")[treePath];
        var expected = ExpectedFromRawEdges(raw);
        var (_, report) = Convert((treePath, raw));
        Assert.Equal(0, report.MalformedLines);

        using var directory = new TempDirectory();
        await using var silo = await LineageSilo.StartAsync(directory.Path);
        var ingest = await silo.IngestAsync(RealCascades.SightingLines(treePath));
        Assert.Equal((expected.Nodes, 0), (ingest.Accepted, ingest.Refused));

        var treeId = Path.GetFileNameWithoutExtension(treePath);
        var trace = await silo.GetJsonAsync($"/api/lineage/trace?post=twitter/{treeId}&maxNodes=100000");

        Assert.Equal(treeId, trace.GetProperty("origin").GetProperty("postId").GetString());
        Assert.Equal(expected.Nodes, trace.GetProperty("nodeCount").GetInt32());
        Assert.Equal(expected.Depth, trace.GetProperty("depth").GetInt32());
        Assert.Equal(expected.Accounts, trace.GetProperty("accountCount").GetInt32());
        var accountDepths = trace.GetProperty("nodes").EnumerateArray()
            .Select(n => (n.GetProperty("account").GetString()!, n.GetProperty("depth").GetInt32())).Order().ToArray();
        Assert.Equal(expected.AccountDepths, accountDepths);
    }

    /// <summary>The expected answer straight from the raw lines, by a plain breadth-first walk; these trees were chosen because they have
    /// none of the quirks (one parent per node, no cycles, no duplicates), which this also checks.</summary>
    private static (int Nodes, int Depth, int Accounts, (string, int)[] AccountDepths) ExpectedFromRawEdges(string raw)
    {
        var children = new Dictionary<string, List<string>>();
        string? root = null;
        var parentsSeen = new HashSet<string>();
        foreach (var line in raw.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Edge().Match(line);
            Assert.True(match.Success, line);
            var parent = match.Groups[1].Value;
            var child = match.Groups[2].Value;
            if (parent.StartsWith("'ROOT'", StringComparison.Ordinal))
            {
                root = child;
                continue;
            }

            Assert.True(parentsSeen.Add(child), "the test tree must give each node one parent: " + line);
            children.TryAdd(parent, []);
            children[parent].Add(child);
        }

        var depths = new Dictionary<string, int> { [root!] = 0 };
        var queue = new Queue<string>([root!]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var child in children.GetValueOrDefault(node) ?? [])
            {
                Assert.True(depths.TryAdd(child, depths[node] + 1), "the test tree must be acyclic");
                queue.Enqueue(child);
            }
        }

        static string Uid(string node) => node.Split(',')[0].Trim('\'', ' ');
        return (depths.Count, depths.Values.Max(), depths.Keys.Select(Uid).Distinct().Count(),
            depths.Select(d => (Uid(d.Key), d.Value)).Order().ToArray());
    }

    private static (List<ConvertedSighting> Sightings, ConversionReport Report) Convert(params (string Name, string Text)[] trees)
    {
        var report = new ConversionReport();
        using var writer = new StringWriter();
        var converter = new CascadeConverter(writer, report);
        foreach (var (name, text) in trees)
        {
            converter.ConvertTree(name, new StringReader(text));
        }

        var sightings = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<ConvertedSighting>(line, LineageSilo.Json)!)
            .ToList();
        return (sightings, report);
    }

    [GeneratedRegex(@"^\[('[^']*', '[^']*', '[^']*')\]->\[('[^']*', '[^']*', '[^']*')\]$")]
    private static partial Regex Edge();

    private sealed record ConvertedSighting(string PostId, string? ParentPostId, string Account, string ObservedAt, string SourceRef);
}
