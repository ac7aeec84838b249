using System.CommandLine;
using System.Globalization;
using Lineage.Grains.Walks;

namespace Lineage.Client.Commands;

/// <summary><c>lineage trace platform/postId</c> (or <c>--content sha256</c>): origin, reshare tree, accounts, subjects, disputes, anomalies.</summary>
internal static class TraceCommand
{
    public static Command Create()
    {
        var post = new Argument<string?>("post") { Description = "The post, written platform/postId", Arity = ArgumentArity.ZeroOrOne };
        var content = new Option<string?>("--content") { Description = "Trace every post carrying this SHA-256 instead of one post's tree" };
        var skip = new Option<int>("--skip") { Description = "Posts of the answer to skip (paging)" };
        var take = new Option<int?>("--take") { Description = "Most posts in the answer (default: 200 on a terminal, all with --json)" };
        var timeline = new Option<bool>("--timeline") { Description = "Show how the item spread over time instead of the tree" };
        var bucket = new Option<int?>("--bucket-minutes") { Description = "Timeline bucket width in minutes (default: chosen for about 50 buckets)" };
        var command = new Command("trace", "Trace an item to its origin and show its reshare tree, accounts, subjects, disputed parents and time anomalies")
        {
            post, content, skip, take, timeline, bucket,
        };
        WalkOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var postKey = parseResult.GetValue(post);
            var sha = parseResult.GetValue(content);
            if ((postKey is null) == (sha is null))
            {
                Console.Error.WriteLine("lineage trace: give a post (platform/postId) or --content SHA256, not both");
                return Task.FromResult(2);
            }

            if (postKey is not null && WalkOptions.CheckKey("the post", postKey) is { } problem)
            {
                Console.Error.WriteLine("lineage trace: " + problem);
                return Task.FromResult(2);
            }

            var item = postKey is not null ? "post=" + Uri.EscapeDataString(postKey) : "content=" + Uri.EscapeDataString(sha!);
            if (parseResult.GetValue(timeline))
            {
                var minutes = parseResult.GetValue(bucket) is { } m ? string.Create(CultureInfo.InvariantCulture, $"&bucketMinutes={m}") : string.Empty;
                return QueryRunner.RunAsync<TimelineResult>(parseResult, "trace", $"/api/lineage/timeline?{item}{minutes}{WalkOptions.Query(parseResult)}", LineageRendering.Timeline, cancellationToken);
            }

            var pageSize = parseResult.GetValue(take) ?? (parseResult.GetValue(CommonOptions.Json) ? (int?)null : 200);
            var paging = string.Create(CultureInfo.InvariantCulture, $"&skip={Math.Max(0, parseResult.GetValue(skip))}")
                + (pageSize is { } size ? string.Create(CultureInfo.InvariantCulture, $"&take={Math.Max(0, size)}") : string.Empty);
            return QueryRunner.RunAsync<TraceResult>(parseResult, "trace", $"/api/lineage/trace?{item}{paging}{WalkOptions.Query(parseResult)}", LineageRendering.Trace, cancellationToken);
        });
        return command;
    }
}
