using System.CommandLine;
using Lineage.Client.Commands;

var root = new RootCommand("lineage: work with a Lineage silo from the command line.");
root.Options.Add(CommonOptions.Url);
root.Options.Add(CommonOptions.Json);
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(HashCommand.Create());
root.Subcommands.Add(ConvertCascadesCommand.Create());
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(TraceCommand.Create());
root.Subcommands.Add(PathCommand.Create());
root.Subcommands.Add(SimilarCommand.Create());
root.Subcommands.Add(AccountCommand.Create());
root.Subcommands.Add(SubjectCommand.Create());
return await root.Parse(args).InvokeAsync();
