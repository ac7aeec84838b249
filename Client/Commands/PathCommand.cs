using System.CommandLine;
using Lineage.Grains.Walks;

namespace Lineage.Client.Commands;

/// <summary><c>lineage path platform/postId</c>: the way from a post up its chosen parents to the origin.</summary>
internal static class PathCommand
{
    public static Command Create()
    {
        var post = new Argument<string>("post") { Description = "The post, written platform/postId" };
        var command = new Command("path", "Show the way from a post up to its origin") { post };
        WalkOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var key = parseResult.GetValue(post)!;
            if (WalkOptions.CheckKey("the post", key) is { } problem)
            {
                Console.Error.WriteLine("lineage path: " + problem);
                return Task.FromResult(2);
            }

            return QueryRunner.RunAsync<PathResult>(parseResult, "path", $"/api/lineage/path?post={Uri.EscapeDataString(key)}{WalkOptions.Query(parseResult)}", LineageRendering.Path, cancellationToken);
        });
        return command;
    }
}
