using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lineage.Client.Http;
using Lineage.Runtime.Statistics;
using Spectre.Console;

namespace Lineage.Client.Commands;

/// <summary><c>lineage status</c>: is the silo up, and what are its grains doing.</summary>
internal static class StatusCommand
{
    // Scripts read this output; keep "+" and non-ASCII readable instead of \uXXXX escapes.
    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var command = new Command("status", "Show the silo's health, activations, and calls, errors and latency per grain method");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var api = new SiloApiClient(parseResult.GetValue(CommonOptions.Url)!);
            try
            {
                if (parseResult.GetValue(CommonOptions.Json))
                {
                    var health = await api.GetJsonAsync("/health", cancellationToken);
                    var stats = await api.GetJsonAsync("/api/runtime/stats", cancellationToken);
                    Console.WriteLine(JsonSerializer.Serialize(new { health, stats }, JsonOutput));
                    return 0;
                }

                Render(api.BaseAddress, await api.GetRuntimeStatisticsAsync(cancellationToken));
                return 0;
            }
            catch (SiloApiException exception)
            {
                Console.Error.WriteLine($"lineage status: {exception.Message}");
                return 2;
            }
        });
        return command;
    }

    private static void Render(Uri silo, RuntimeStatisticsSnapshot snapshot)
    {
        var uptime = snapshot.Timestamp - snapshot.StartedAt;
        AnsiConsole.MarkupLine(
            $"[green]●[/] silo [bold]{Markup.Escape(silo.ToString())}[/]  up {Markup.Escape(FormatDuration(uptime))}  " +
            $"[bold]{snapshot.Activations:N0}[/] activations");
        if (snapshot.GrainTypes.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]No grain calls yet.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("grain type").AddColumn(new TableColumn("activations").RightAligned())
            .AddColumn("method").AddColumn(new TableColumn("calls").RightAligned()).AddColumn(new TableColumn("errors").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned()).AddColumn(new TableColumn("p99").RightAligned());
        foreach (var grainType in snapshot.GrainTypes)
        {
            var first = true;
            foreach (var method in grainType.Methods.DefaultIfEmpty())
            {
                table.AddRow(
                    first ? Markup.Escape(grainType.GrainType) : string.Empty,
                    first ? grainType.Activations.ToString("N0", CultureInfo.InvariantCulture) : string.Empty,
                    method is null ? "[grey]-[/]" : Markup.Escape(method.Method),
                    method?.Calls.ToString("N0", CultureInfo.InvariantCulture) ?? string.Empty,
                    method is null ? string.Empty : method.Errors == 0 ? "0" : $"[red]{method.Errors:N0}[/]",
                    method is null ? string.Empty : FormatMicroseconds(method.LatencyMicroseconds.P50),
                    method is null ? string.Empty : FormatMicroseconds(method.LatencyMicroseconds.P99));
                first = false;
            }
        }

        AnsiConsole.Write(table);
    }

    internal static string FormatMicroseconds(double microseconds) => microseconds switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds:0.#} µs"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000:0.#} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000:0.##} s"),
    };

    internal static string FormatDuration(TimeSpan duration) => duration switch
    {
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0} s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min"),
        { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays} d {duration.Hours} h"),
    };
}
