using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lineage.Client.Commands.Cascades;

/// <summary>Converts Twitter15/16 propagation trees (see /work/shared/data/README.md) into sighting NDJSON, repairing or refusing
/// every quirk of the raw data and counting each in a <see cref="ConversionReport"/>.</summary>
/// <remarks>
/// The decisions, each deterministic so that converting the same files twice writes the same bytes:
/// <list type="bullet">
/// <item>A node is (uid, tweet id, delay). The node that first carries a tweet id (the ROOT's node first, then by delay, uid) keeps the
/// tweet id as its post id; every other node carrying it is a plain retweet and gets "tweetId-rt-uid" (plus "-delay" when the
/// same user retweeted it more than once).</item>
/// <item>observedAt is <see cref="Epoch"/> plus the delay: the data has no real times, only minutes after the source tweet.</item>
/// <item>Duplicate lines and self-loops are dropped; of a two-node cycle the edge whose parent comes later is dropped; longer cycles
/// lose the back edges of a depth-first walk in node order. A node with several parents gets one sighting per parent (Lineage keeps
/// them all, shows the post as disputed and picks one by its rule). Children earlier than parents and negative delays are kept
/// (Lineage flags them). A tree in both sets with identical edges is written once.</item>
/// </list>
/// </remarks>
internal sealed partial class CascadeConverter(TextWriter output, ConversionReport report)
{
    /// <summary>The time a tree's delays count from. The data carries no wall-clock times, so every tree starts here.</summary>
    public static readonly DateTimeOffset Epoch = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Platform = "twitter";

    private readonly Dictionary<string, ulong> _treeDigests = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _postIdsWritten = [];
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>Converts every tree file under <paramref name="path"/>: a .tar.gz archive, a directory, or one tree file.</summary>
    public void ConvertPath(string path)
    {
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (IsTreeFile(file))
                {
                    ConvertFile(file);
                }
            }
        }
        else if (path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && IsTreeFile(entry.Name) && entry.DataStream is { } data)
                {
                    using var reader = new StreamReader(data, Encoding.UTF8);
                    ConvertTree(entry.Name, reader);
                }
            }
        }
        else if (File.Exists(path))
        {
            ConvertFile(path);
        }
        else
        {
            throw new FileNotFoundException($"No cascade archive, directory or tree file at '{path}'.", path);
        }
    }

    /// <summary>Converts one tree read from <paramref name="reader"/>; <paramref name="name"/> ends with "tree/&lt;source tweet id&gt;.txt".</summary>
    public void ConvertTree(string name, TextReader reader)
    {
        report.Files++;
        var treeId = Path.GetFileNameWithoutExtension(name);
        var lines = new List<(int Number, string Text)>();
        var unique = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            report.Lines++;
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!unique.Add(text))
            {
                report.DuplicateLinesDropped++;
                continue;
            }

            lines.Add((number, text));
        }

        if (lines.Count == 0 || !treeId.All(char.IsAsciiDigit))
        {
            report.UnreadableFiles++;
            report.Refuse(name, lines.Count == 0 ? "no edges" : "file name is not a source tweet id");
            return;
        }

        var digest = Digest(unique.Order(StringComparer.Ordinal));
        if (_treeDigests.TryGetValue(treeId, out var known))
        {
            if (known == digest)
            {
                report.IdenticalTreesSkipped++;
                return;
            }

            report.DivergentTreesMerged++;
        }
        else
        {
            _treeDigests[treeId] = digest;
        }

        report.Trees++;
        WriteTree(name, treeId, Parse(name, lines));
    }

    private static bool IsTreeFile(string path) =>
        path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && Path.GetFileName(Path.GetDirectoryName(path)) == "tree";

    private static ulong Digest(IEnumerable<string> lines)
    {
        // FNV-1a over the sorted lines: equal edge sets give equal digests whatever their order in the file.
        var hash = 14695981039346656037UL;
        foreach (var line in lines)
        {
            foreach (var c in line)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ '\n') * 1099511628211UL;
        }

        return hash;
    }

    [GeneratedRegex(@"^\['([^']*)', '([^']*)', '([^']*)'\]->\['([^']*)', '([^']*)', '([^']*)'\]$", RegexOptions.CultureInvariant)]
    private static partial Regex EdgePattern();

    private void ConvertFile(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8);
        ConvertTree(file, reader);
    }

    private (List<CascadeNode> Roots, List<(CascadeNode Parent, CascadeNode Child)> Edges) Parse(string name, List<(int Number, string Text)> lines)
    {
        var roots = new List<CascadeNode>();
        var edges = new HashSet<(CascadeNode, CascadeNode)>();
        foreach (var (number, text) in lines)
        {
            var match = EdgePattern().Match(text);
            if (!match.Success)
            {
                report.Refuse($"{name}:{number}", "not an edge of the form ['uid', 'tweet', 'delay']->['uid', 'tweet', 'delay']");
                continue;
            }

            var g = match.Groups;
            var child = new CascadeNode(g[4].Value, g[5].Value, g[6].Value);
            if (!Valid(child) || (g[1].Value != "ROOT" && !Valid(new CascadeNode(g[1].Value, g[2].Value, g[3].Value))))
            {
                report.Refuse($"{name}:{number}", "a node has an empty id or a delay that is not a number");
                continue;
            }

            if (g[1].Value == "ROOT")
            {
                roots.Add(child);
                continue;
            }

            var parent = new CascadeNode(g[1].Value, g[2].Value, g[3].Value);
            if (parent == child)
            {
                report.SelfLoopsDropped++;
                continue;
            }

            edges.Add((parent, child));
        }

        // Two-node cycles: keep the edge whose parent comes first in node order.
        var kept = new List<(CascadeNode Parent, CascadeNode Child)>(edges.Count);
        foreach (var edge in edges)
        {
            if (edges.Contains((edge.Item2, edge.Item1)) && CascadeNode.Compare(edge.Item1, edge.Item2) > 0)
            {
                report.TwoNodeCycleEdgesDropped++;
                continue;
            }

            kept.Add(edge);
        }

        return (roots, BreakLongerCycles(roots, kept));
    }

    private static bool Valid(CascadeNode node) =>
        node.Uid.Length > 0 && node.TweetId.Length > 0
        && double.TryParse(node.Delay, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && double.IsFinite(minutes);

    private List<(CascadeNode Parent, CascadeNode Child)> BreakLongerCycles(List<CascadeNode> roots, List<(CascadeNode Parent, CascadeNode Child)> edges)
    {
        var children = new Dictionary<CascadeNode, List<CascadeNode>>();
        foreach (var (parent, child) in edges)
        {
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(child);
        }

        foreach (var list in children.Values)
        {
            list.Sort(CascadeNode.Compare);
        }

        var starts = roots.Concat(edges.Select(e => e.Parent)).Distinct().ToList();
        starts.Sort((a, b) => roots.Contains(a) != roots.Contains(b) ? (roots.Contains(a) ? -1 : 1) : CascadeNode.Compare(a, b));
        var state = new Dictionary<CascadeNode, bool>(); // false: on the stack, true: done
        var backEdges = new HashSet<(CascadeNode, CascadeNode)>();
        foreach (var start in starts)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var stack = new Stack<(CascadeNode Node, int Next)>();
            stack.Push((start, 0));
            state[start] = false;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var list = children.GetValueOrDefault(node);
                if (list is null || next >= list.Count)
                {
                    state[node] = true;
                    continue;
                }

                stack.Push((node, next + 1));
                var child = list[next];
                if (!state.TryGetValue(child, out var done))
                {
                    state[child] = false;
                    stack.Push((child, 0));
                }
                else if (!done)
                {
                    backEdges.Add((node, child));
                }
            }
        }

        report.LongerCycleEdgesDropped += backEdges.Count;
        return backEdges.Count == 0 ? edges : edges.Where(e => !backEdges.Contains(e)).ToList();
    }

    private void WriteTree(string name, string treeId, (List<CascadeNode> Roots, List<(CascadeNode Parent, CascadeNode Child)> Edges) tree)
    {
        var (roots, edges) = tree;
        if (roots.Distinct().Count() != 1)
        {
            report.TreesWithoutSingleRoot++;
        }
        else if (roots[0].TweetId != treeId)
        {
            report.RootsNotTheNamedTweet++;
        }

        var parents = new Dictionary<CascadeNode, List<CascadeNode>>();
        var nodes = new HashSet<CascadeNode>(roots);
        foreach (var (parent, child) in edges)
        {
            nodes.Add(parent);
            nodes.Add(child);
            if (!parents.TryGetValue(child, out var list))
            {
                parents[child] = list = [];
            }

            list.Add(parent);
            if (child.Minutes < parent.Minutes)
            {
                report.ChildrenEarlierThanParents++;
            }
        }

        var ordered = nodes.ToList();
        ordered.Sort(CascadeNode.Compare);
        var postIds = AssignPostIds(ordered, roots);
        var sourceRef = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(name))) is { Length: > 0 } set ? set + "/" + treeId : treeId;
        foreach (var node in ordered)
        {
            if (node.Minutes < 0)
            {
                report.NegativeDelays++;
            }

            var claimed = parents.GetValueOrDefault(node);
            if (claimed is null)
            {
                WriteSighting(postIds[node], node, null, sourceRef);
                continue;
            }

            if (claimed.Count > 1)
            {
                report.NodesWithSeveralParents++;
                claimed.Sort(CascadeNode.Compare);
            }

            foreach (var parent in claimed)
            {
                WriteSighting(postIds[node], node, postIds[parent], sourceRef);
            }
        }

        foreach (var postId in postIds.Values)
        {
            if (!_postIdsWritten.Add(Digest([postId])))
            {
                report.PostIdsSharedBetweenTrees++;
            }
        }
    }

    private Dictionary<CascadeNode, string> AssignPostIds(List<CascadeNode> ordered, List<CascadeNode> roots)
    {
        var ids = new Dictionary<CascadeNode, string>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        // The ROOT's node owns its tweet id even when a retweet of it carries an earlier delay.
        foreach (var node in roots.Distinct().Order(Comparer<CascadeNode>.Create(CascadeNode.Compare)).Concat(ordered))
        {
            if (ids.ContainsKey(node))
            {
                continue;
            }

            var id = node.TweetId;
            if (!used.Add(id))
            {
                report.RetweetIdsDerived++;
                id = node.TweetId + "-rt-" + node.Uid;
                if (!used.Add(id))
                {
                    id = id + "-" + node.Delay;
                    used.Add(id);
                }
            }

            ids[node] = id;
        }

        return ids;
    }

    private void WriteSighting(string postId, CascadeNode node, string? parentPostId, string sourceRef)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteString("platform", Platform);
            json.WriteString("postId", postId);
            json.WriteString("account", node.Uid);
            json.WriteString("observedAt", Epoch.AddMinutes(node.Minutes).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            if (parentPostId is not null)
            {
                json.WriteString("parentPostId", parentPostId);
            }

            json.WriteString("source", "partner");
            json.WriteString("sourceRef", sourceRef);
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        report.SightingsWritten++;
    }
}
