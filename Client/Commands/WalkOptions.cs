using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Lineage.Client.Commands;

/// <summary>Options the walk commands share (depth, node budget, deadline), and printing the silo's JSON answer for scripts.</summary>
internal static class WalkOptions
{
    // Scripts read this output; keep "+" and non-ASCII readable instead of \uXXXX escapes.
    public static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static readonly Option<int?> MaxDepth = new("--max-depth") { Description = "Most levels walked (silo default 64)" };

    public static readonly Option<int?> MaxNodes = new("--max-nodes") { Description = "Most posts visited (silo default 10,000)" };

    public static readonly Option<int?> DeadlineMs = new("--deadline-ms") { Description = "Longest the walk may take, in ms (silo default 10,000)" };

    public static void AddTo(Command command)
    {
        command.Options.Add(MaxDepth);
        command.Options.Add(MaxNodes);
        command.Options.Add(DeadlineMs);
    }

    /// <summary>"&amp;maxDepth=..&amp;maxNodes=..&amp;deadlineMs=.." for the options given.</summary>
    public static string Query(ParseResult parseResult)
    {
        var query = string.Empty;
        if (parseResult.GetValue(MaxDepth) is { } depth)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&maxDepth={depth}");
        }

        if (parseResult.GetValue(MaxNodes) is { } nodes)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&maxNodes={nodes}");
        }

        if (parseResult.GetValue(DeadlineMs) is { } deadline)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&deadlineMs={deadline}");
        }

        return query;
    }

    /// <summary>Checks a "platform/id" argument; null when fine, else the message for the terminal.</summary>
    public static string? CheckKey(string what, string key) =>
        key.IndexOf('/', StringComparison.Ordinal) > 0 ? null : $"{what} must be written platform/id (e.g. twitter/1234), not '{key}'";
}
