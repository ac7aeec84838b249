using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lineage.Client.Http;
using Lineage.Grains.Intake;
using Spectre.Console;

namespace Lineage.Client.Commands;

/// <summary><c>lineage ingest FILE...</c>: streams NDJSON sightings to the silo in batches, several in flight, with a progress bar.</summary>
internal static class IngestCommand
{
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = "NDJSON files of sightings (one JSON object per line)", Arity = ArgumentArity.OneOrMore };
        var batchSize = new Option<int>("--batch-size") { Description = "Lines per request", DefaultValueFactory = _ => 5000 };
        var parallel = new Option<int>("--parallel") { Description = "Requests in flight at once", DefaultValueFactory = _ => 4 };
        var rejects = new Option<string>("--rejects") { Description = "Where refused records go, with line numbers and reasons (default: FILE.rejects.ndjson next to the first file)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for one batch's acknowledgement", DefaultValueFactory = _ => 300 };
        var command = new Command("ingest", "Send sightings to the silo; refused records go to a rejects file and make the exit code 1")
        {
            files, batchSize, parallel, rejects, timeout,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var paths = parseResult.GetValue(files)!;
            var missing = paths.FirstOrDefault(p => !File.Exists(p));
            if (missing is not null)
            {
                Console.Error.WriteLine($"lineage ingest: no such file '{missing}'");
                return 2;
            }

            using var api = new SiloApiClient(parseResult.GetValue(CommonOptions.Url)!, TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(timeout))));
            var ingestor = new Ingestor(api, Math.Clamp(parseResult.GetValue(batchSize), 1, 100_000), Math.Clamp(parseResult.GetValue(parallel), 1, 64));
            var json = parseResult.GetValue(CommonOptions.Json);
            IngestSummary summary;
            try
            {
                if (json || Console.IsErrorRedirected)
                {
                    summary = await ingestor.RunAsync(paths, null, cancellationToken);
                }
                else
                {
                    summary = await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                        .StartAsync(async context =>
                        {
                            var task = context.AddTask("starting", maxValue: paths.Sum(p => new FileInfo(p).Length));
                            return await ingestor.RunAsync(paths, progress =>
                            {
                                task.Value = progress.BytesRead;
                                task.Description = Markup.Escape(Describe(progress));
                            }, cancellationToken);
                        });
                }
            }
            catch (SiloApiException exception)
            {
                Console.Error.WriteLine($"lineage ingest: {exception.Message}");
                Console.Error.WriteLine($"lineage ingest: {ingestor.Acknowledged:N0} records were acknowledged before the failure; ingesting again is safe (duplicates change nothing).");
                return 2;
            }

            string? rejectsPath = null;
            if (summary.Rejects.Count > 0)
            {
                rejectsPath = parseResult.GetValue(rejects) ?? paths[0] + ".rejects.ndjson";
                await using var writer = new StreamWriter(rejectsPath, false, new UTF8Encoding(false));
                foreach (var reject in summary.Rejects)
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(reject, JsonOutput));
                }
            }

            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(summary with { RejectsFile = rejectsPath, Rejects = [] }, JsonOutput));
            }
            else
            {
                Render(summary with { RejectsFile = rejectsPath });
            }

            return summary.Refused > 0 ? 1 : 0;
        });
        return command;
    }

    internal static string Describe(IngestProgress progress) => string.Create(CultureInfo.InvariantCulture,
        $"{progress.RecordsPerSecond:N0} records/s  {progress.Accepted:N0} accepted  {progress.Duplicates:N0} duplicate  {progress.Refused:N0} refused");

    internal static void Render(IngestSummary summary)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("records").AddColumn(new TableColumn("count").RightAligned());
        table.AddRow("sent", summary.Records.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("[green]accepted[/]", summary.Accepted.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("duplicate", summary.Duplicates.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow(summary.Refused > 0 ? "[red]refused[/]" : "refused", summary.Refused.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("[yellow]flagged[/]", summary.Flagged.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Seconds:0.0} s, {summary.Records / Math.Max(summary.Seconds, 0.001):N0} records/s, every batch acknowledged durable"));
        if (summary.RejectsFile is not null)
        {
            AnsiConsole.MarkupLine($"[red]{summary.Refused:N0} refused[/] — see {Markup.Escape(summary.RejectsFile)}");
            foreach (var reject in summary.Rejects.Take(10))
            {
                AnsiConsole.MarkupLine(Markup.Escape($"  {reject.File}:{reject.Line}: {reject.Reason}"));
            }
        }
    }
}

/// <summary>Where an ingest run is: bytes read, records acknowledged, and the rate.</summary>
internal sealed record IngestProgress(long BytesRead, long Accepted, long Duplicates, long Refused, double RecordsPerSecond);

/// <summary>A refused record: where it was, why, and the record itself.</summary>
internal sealed record IngestReject(string File, long Line, string? PostId, string Reason, string Record);

/// <summary>The outcome of an ingest run.</summary>
internal sealed record IngestSummary(
    long Records, long Accepted, long Duplicates, long Refused, long Flagged, double Seconds, IReadOnlyList<IngestReject> Rejects, string? RejectsFile = null);

/// <summary>Cuts files into batches of lines and keeps several requests in flight; a batch that fails transiently is sent again,
/// which is safe because registering a sighting twice changes nothing.</summary>
internal sealed class Ingestor(SiloApiClient api, int batchSize, int parallel)
{
    private const int Attempts = 5;

    private readonly List<IngestReject> _rejects = [];
    private long _records;
    private long _accepted;
    private long _duplicates;
    private long _refused;
    private long _flagged;
    private long _bytes;

    /// <summary>Records acknowledged so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _accepted) + Interlocked.Read(ref _duplicates) + Interlocked.Read(ref _refused);

    public async Task<IngestSummary> RunAsync(IReadOnlyList<string> paths, Action<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(parallel);
        var inFlight = new List<Task>();
        foreach (var path in paths)
        {
            using var reader = new StreamReader(path, Encoding.UTF8, false, 1 << 16);
            long lineNumber = 0;
            while (true)
            {
                var lines = new List<string>(batchSize);
                var firstLine = lineNumber + 1;
                var bytes = 0L;
                while (lines.Count < batchSize && await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    lineNumber++;
                    lines.Add(line);
                    bytes += Encoding.UTF8.GetByteCount(line) + 1;
                }

                if (lines.Count == 0)
                {
                    break;
                }

                await slots.WaitAsync(cancellationToken);
                inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
                if (inFlight.FirstOrDefault(t => t.IsFaulted) is { } failed)
                {
                    await failed;
                }

                inFlight.Add(SendAsync(path, firstLine, lines, bytes, slots, clock, progress, cancellationToken));
            }
        }

        await Task.WhenAll(inFlight);
        clock.Stop();
        var rejects = _rejects.OrderBy(r => paths.ToList().IndexOf(r.File)).ThenBy(r => r.Line).ToArray();
        return new IngestSummary(_records, _accepted, _duplicates, _refused, _flagged, clock.Elapsed.TotalSeconds, rejects);
    }

    private async Task SendAsync(
        string path, long firstLine, List<string> lines, long bytes, SemaphoreSlim slots, Stopwatch clock, Action<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
            IntakeReport report;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    report = await api.PostSightingsAsync(body, cancellationToken);
                    break;
                }
                catch (SiloApiException exception) when (exception.Transient && attempt < Attempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), cancellationToken);
                }
            }

            lock (_rejects)
            {
                foreach (var refusal in report.Refusals)
                {
                    var index = refusal.Line - 1;
                    _rejects.Add(new IngestReject(path, firstLine + index, refusal.PostId, refusal.Reason, index < lines.Count ? lines[index] : string.Empty));
                }
            }

            Interlocked.Add(ref _records, report.Received);
            Interlocked.Add(ref _accepted, report.Accepted);
            Interlocked.Add(ref _duplicates, report.Duplicates);
            Interlocked.Add(ref _refused, report.Refused);
            Interlocked.Add(ref _flagged, report.Flagged);
            var read = Interlocked.Add(ref _bytes, bytes);
            progress?.Invoke(new IngestProgress(read, _accepted, _duplicates, _refused, Acknowledged / Math.Max(clock.Elapsed.TotalSeconds, 0.001)));
        }
        finally
        {
            slots.Release();
        }
    }
}
