using System.Globalization;
using Lineage.Grains.Similarity;
using Lineage.Grains.Walks;
using Spectre.Console;

namespace Lineage.Client.Commands;

/// <summary>How walk answers look on a terminal: trees for reshare trees, tables for accounts, subjects and near-duplicate matches.</summary>
internal static class LineageRendering
{
    public static void Trace(IAnsiConsole console, TraceResult trace)
    {
        var origin = trace.Origin;
        console.MarkupLine(
            $"[bold]{Markup.Escape(trace.Item)}[/]  origin [bold]{Markup.Escape(origin?.PostId ?? "?")}[/]" +
            $" by {Markup.Escape(origin?.Account ?? "(not yet seen)")} at {Time(origin?.ObservedAt)}");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{trace.NodeCount:N0} posts, depth {trace.Depth}, {trace.AccountCount:N0} accounts, {trace.Subjects.Count:N0} subjects, " +
            $"{trace.Disputed.Count:N0} disputed, {trace.Anomalies.Count:N0} time anomalies"));
        Completeness(console, trace.Completeness);
        console.Write(Tree(trace));
        var shown = trace.Skip + trace.Nodes.Count;
        if (trace.Skip > 0 || shown < trace.NodeCount)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[grey]posts {trace.Skip + 1:N0}-{shown:N0} of {trace.NodeCount:N0} shown; page with --skip and --take[/]"));
        }

        if (trace.Accounts.Count > 0)
        {
            var accounts = new Table().Border(TableBorder.Rounded).AddColumn("account").AddColumn(new TableColumn("posts").RightAligned()).AddColumn("subjects");
            foreach (var account in trace.Accounts.Take(20))
            {
                accounts.AddRow(Markup.Escape(account.Account), account.Posts.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", account.Subjects)));
            }

            console.Write(accounts);
            if (trace.Accounts.Count > 20)
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]{trace.Accounts.Count - 20:N0} more accounts; --json lists all[/]"));
            }
        }

        foreach (var disputed in trace.Disputed.Take(20))
        {
            console.MarkupLine($"[yellow]disputed[/] {Markup.Escape(disputed.PostId)}: parent {Markup.Escape(disputed.PrimaryParentPostId ?? "-")} chosen of {Markup.Escape(string.Join(", ", disputed.CandidateParentPostIds))}");
        }

        foreach (var anomaly in trace.Anomalies.Take(20))
        {
            console.MarkupLine($"[yellow]earlier than its parent[/] {Markup.Escape(anomaly.PostId)} at {Time(anomaly.ObservedAt)}, parent {Markup.Escape(anomaly.ParentPostId)} at {Time(anomaly.ParentObservedAt)}");
        }

        if (trace.NearDuplicateGroup is not null)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"near-duplicate group {Markup.Escape(trace.NearDuplicateGroup)}: {trace.NearDuplicates.Count:N0} other posts"));
            foreach (var near in trace.NearDuplicates.Take(20))
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"  near-duplicate {Markup.Escape(near.PostId)} at distance {near.Distance} ({Markup.Escape(near.Platform)}, {Markup.Escape(near.Hash)})"));
            }
        }
    }

    /// <summary>The page's nodes as a tree under their parents; a node whose parent is not on the page hangs from the top.</summary>
    public static Tree Tree(TraceResult trace)
    {
        var tree = new Tree(Markup.Escape(trace.Item)) { Guide = TreeGuide.Line };
        var placed = new Dictionary<string, IHasTreeNodes>(StringComparer.Ordinal);
        foreach (var node in trace.Nodes)
        {
            IHasTreeNodes parent = node.ParentPostId is { } parentId && placed.TryGetValue(parentId, out var known) ? known : tree;
            placed[node.PostId] = parent.AddNode(Label(node));
        }

        return tree;
    }

    public static string Label(TraceNode node)
    {
        var flags = (node.Seen ? string.Empty : " [grey](referenced, not yet seen)[/]")
            + (node.Disputed ? " [yellow]disputed[/]" : string.Empty)
            + (node.ObservedBeforeParent ? " [yellow]before parent[/]" : string.Empty);
        return $"[bold]{Markup.Escape(node.PostId)}[/] {Markup.Escape(node.Account ?? "?")} {Time(node.ObservedAt)}{flags}";
    }

    /// <summary>Posts listed per match in <see cref="Similar"/>; the rest are counted.</summary>
    private const int SimilarPostsShown = 5;

    public static void Path(IAnsiConsole console, PathResult path)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("hop").RightAligned()).AddColumn("post").AddColumn("account").AddColumn("observed");
        foreach (var node in path.Nodes)
        {
            table.AddRow(node.Depth.ToString(CultureInfo.InvariantCulture), Markup.Escape(node.PostId), Markup.Escape(node.Account ?? "(not yet seen)"), Time(node.ObservedAt));
        }

        console.Write(table);
        Completeness(console, path.Completeness);
    }

    /// <summary>The matches of a newly banked hash, nearest first, each with the posts that carried it, and the groups it would join.</summary>
    /// <remarks>Plain lines, not a Spectre table or markup, which would wrap the 64-digit hashes at the console width.</remarks>
    public static void Similar(IAnsiConsole console, SimilarResult similar)
    {
        var output = console.Profile.Out.Writer;
        if (!similar.Searched)
        {
            output.WriteLine($"Not searched: {similar.RefusedBecause ?? "refused"}");
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{similar.Matches.Count} indexed hashes within {similar.Threshold} bits of {similar.Pdq} (quality {similar.Quality})"));
        if (similar.Matches.Count > 0)
        {
            output.WriteLine("distance  quality  hash                                                              posts");
        }

        foreach (var match in similar.Matches)
        {
            var posts = string.Join(", ", match.Owners.Take(SimilarPostsShown).Select(o => o.PostKey));
            var others = match.Owners.Count - Math.Min(match.Owners.Count, SimilarPostsShown);
            var more = match.MoreOwners
                ? string.Create(CultureInfo.InvariantCulture, $" and over {others} others")
                : others > 0 ? string.Create(CultureInfo.InvariantCulture, $" and {others} others") : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{match.Distance,8}  {match.Quality,7}  {match.Hash}  {posts}{more}"));
        }

        output.WriteLine(similar.Groups.Count == 0
            ? "It would start a new near-duplicate group."
            : "It would join " + string.Join(", ", similar.Groups) + " (trace one with: lineage trace --content <group>).");
    }

    public static void Timeline(IAnsiConsole console, TimelineResult timeline)
    {
        var chart = new BarChart().Label($"{Markup.Escape(timeline.Item)}: posts per {Markup.Escape(timeline.Bucket.ToString())}").Width(80);
        foreach (var bucket in timeline.Buckets)
        {
            chart.AddItem(bucket.Start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), bucket.Posts, Color.Blue);
        }

        console.Write(chart);
        Completeness(console, timeline.Completeness);
    }

    public static void Account(IAnsiConsole console, AccountReport report)
    {
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(report.Account)}[/]  {report.PostCount:N0} posts ({report.Originals:N0} original, {report.Reshares:N0} reshares), " +
            $"seen {Time(report.FirstSeen)} to {Time(report.LastSeen)}"));
        Completeness(console, report.Completeness);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("reshared").AddColumn(new TableColumn("times").RightAligned())
            .AddColumn("reshared by").AddColumn(new TableColumn("times").RightAligned());
        for (var i = 0; i < Math.Min(20, Math.Max(report.Reshared.Count, report.ResharedBy.Count)); i++)
        {
            var left = i < report.Reshared.Count ? report.Reshared[i] : null;
            var right = i < report.ResharedBy.Count ? report.ResharedBy[i] : null;
            table.AddRow(Markup.Escape(left?.Account ?? ""), left?.Count.ToString(CultureInfo.InvariantCulture) ?? "", Markup.Escape(right?.Account ?? ""), right?.Count.ToString(CultureInfo.InvariantCulture) ?? "");
        }

        console.Write(table);
        foreach (var link in report.Subjects)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"subject [bold]{Markup.Escape(link.SubjectId)}[/] (confidence {link.Confidence:0.##}, by {Markup.Escape(link.Source)})"));
        }
    }

    public static void Subject(IAnsiConsole console, SubjectReport report)
    {
        console.MarkupLine($"subject [bold]{Markup.Escape(report.SubjectId)}[/]");
        Completeness(console, report.Completeness);
        var accounts = new Table().Border(TableBorder.Rounded).AddColumn("account").AddColumn(new TableColumn("confidence").RightAligned())
            .AddColumn("linked by").AddColumn(new TableColumn("posts").RightAligned()).AddColumn(new TableColumn("reshares").RightAligned()).AddColumn("seen");
        foreach (var account in report.Accounts)
        {
            accounts.AddRow(
                Markup.Escape(account.Link.AccountKey), account.Link.Confidence.ToString("0.##", CultureInfo.InvariantCulture), Markup.Escape(account.Link.Source),
                account.PostCount.ToString("N0", CultureInfo.InvariantCulture), account.Reshares.ToString("N0", CultureInfo.InvariantCulture),
                $"{Time(account.FirstSeen)} to {Time(account.LastSeen)}");
        }

        console.Write(accounts);
        if (report.CoSharing.Count > 0)
        {
            var others = new Table().Border(TableBorder.Rounded).AddColumn("co-sharing subject").AddColumn(new TableColumn("hops").RightAligned())
                .AddColumn(new TableColumn("reshares").RightAligned()).AddColumn("via accounts");
            foreach (var other in report.CoSharing)
            {
                others.AddRow(Markup.Escape(other.SubjectId), other.Hops.ToString(CultureInfo.InvariantCulture), other.Interactions.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", other.ViaAccounts)));
            }

            console.Write(others);
        }
    }

    private static void Completeness(IAnsiConsole console, WalkCompleteness completeness)
    {
        if (completeness.Truncated)
        {
            console.MarkupLine($"[red]cut short[/] by {Markup.Escape(string.Join(", ", completeness.CutBy))}: raise --max-depth, --max-nodes or --deadline-ms to see more");
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
