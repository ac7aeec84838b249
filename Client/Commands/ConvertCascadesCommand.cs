using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lineage.Client.Commands.Cascades;
using Spectre.Console;

namespace Lineage.Client.Commands;

/// <summary><c>lineage convert-cascades</c>: Twitter15/16 propagation trees to sighting NDJSON, with a report of every repair.</summary>
internal static class ConvertCascadesCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("input")
        {
            Description = "twitter15_16_trees.tar.gz, a directory of tree files, or tree files",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "NDJSON file to write (default: standard output)" };
        var reportFile = new Option<string>("--report") { Description = "Also write the conversion report as JSON to this file" };
        var command = new Command("convert-cascades", "Convert Twitter15/16 cascade trees into sighting NDJSON, reporting what was repaired or refused")
        {
            inputs, output, reportFile,
        };
        command.SetAction((parseResult, _) =>
        {
            var report = new ConversionReport();
            var path = parseResult.GetValue(output);
            try
            {
                using (var writer = path is null ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) : new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
                {
                    var converter = new CascadeConverter(writer, report);
                    foreach (var input in parseResult.GetValue(inputs)!)
                    {
                        converter.ConvertPath(input);
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"lineage convert-cascades: {exception.Message}");
                return Task.FromResult(2);
            }

            var json = JsonSerializer.Serialize(report, ReportJson);
            if (parseResult.GetValue(reportFile) is { } file)
            {
                File.WriteAllText(file, json);
            }

            if (parseResult.GetValue(CommonOptions.Json))
            {
                Console.Error.WriteLine(json);
            }
            else
            {
                Render(report);
            }

            return Task.FromResult(report.MalformedLines > 0 ? 1 : 0);
        });
        return command;
    }

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    internal static void Render(ConversionReport report)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("count").RightAligned()).AddColumn("what happened");
        void Row(string name, int count, string action) => table.AddRow(Markup.Escape(name), count.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(action));
        Row("tree files read", report.Files, "");
        Row("trees converted", report.Trees, "");
        Row("edge lines read", report.Lines, "");
        Row("sightings written", report.SightingsWritten, "one per node, one per parent claim");
        Row("identical trees in both sets", report.IdenticalTreesSkipped, "written once");
        Row("same tree id, different edges", report.DivergentTreesMerged, "both written; claims merge");
        Row("duplicate lines", report.DuplicateLinesDropped, "dropped");
        Row("self-loops", report.SelfLoopsDropped, "dropped");
        Row("two-node cycles", report.TwoNodeCycleEdgesDropped, "edge with the later parent dropped");
        Row("longer cycles", report.LongerCycleEdgesDropped, "back edges dropped");
        Row("nodes with several parents", report.NodesWithSeveralParents, "kept: one claim per parent, disputed");
        Row("children earlier than parents", report.ChildrenEarlierThanParents, "kept: flagged by Lineage");
        Row("negative delays", report.NegativeDelays, "kept");
        Row("roots that are not the named tweet", report.RootsNotTheNamedTweet, "kept, rooted as the ROOT line says");
        Row("trees without exactly one root", report.TreesWithoutSingleRoot, "kept; parentless nodes are roots");
        Row("retweets reusing a tweet id", report.RetweetIdsDerived, "post id tweetId-rt-uid");
        Row("post ids shared between trees", report.PostIdsSharedBetweenTrees, "kept: claims merge");
        Row("malformed lines and files", report.MalformedLines, "refused");
        console.Write(table);
        foreach (var refused in report.Refused)
        {
            console.MarkupLine("[red]refused[/] " + Markup.Escape(refused));
        }
    }
}
