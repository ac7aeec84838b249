using System.Diagnostics;
using System.Globalization;
using Lineage.Benchmarks.Runtime;
using Lineage.Dashboard;
using Lineage.Dashboard.Hosting;
using Lineage.Dashboard.Sampling;
using Lineage.Runtime;
using Lineage.Runtime.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lineage.Benchmarks.Dashboard;

/// <summary>Grain call throughput of a silo with the dashboard registered, nobody watching versus the dashboard's overview polled
/// over HTTP once a second (what an open page does), in alternating rounds so that drift on a shared machine hits both alike.</summary>
internal static class DashboardOverhead
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        const int callers = 64;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddLineageSilo(silo =>
        {
            silo.AddGrainAssembly(typeof(BenchmarkSilo).Assembly);
            silo.AddLineageDashboard();

            // Sampling stops one second after the last poll, so each unwatched round really is unwatched.
            silo.Services.Configure<DashboardOptions>(o => o.WatchTimeout = TimeSpan.FromSeconds(1));
        });
        await using var app = builder.Build();
        app.MapLineageDashboard();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var http = new HttpClient { BaseAddress = address };
        var sampler = app.Services.GetRequiredService<StatisticsSampler>();
        var factory = app.Services.GetRequiredService<IGrainFactory>();

        // One grain per caller: many activations and a busy scheduler, not one hot activation.
        var grains = Enumerable.Range(0, callers).Select(i => factory.GetGrain<IPingGrain>(i)).ToArray();
        ValueTask Call(int caller) => grains[caller].Ping();
        await CallLoad.ClosedLoopAsync(Call, callers, TimeSpan.FromSeconds(2)); // warm-up: tiering, pools, activations
        (await http.GetAsync(new Uri("/api/dashboard/cluster", UriKind.Relative))).Dispose(); // warm-up of the endpoint's code

        // What one unit of the dashboard's work costs, warm and back to back: one sample, and one overview poll over HTTP
        // (fan-out to the silo's statistics grain, aggregation, JSON, Kestrel and the client).
        const int operations = 500;
        var sampleCpu = await CpuDuringAsync(() =>
        {
            for (var i = 0; i < operations; i++)
            {
                sampler.Sample();
            }

            return Task.CompletedTask;
        });
        var pollCpu = await CpuDuringAsync(async () =>
        {
            for (var i = 0; i < operations; i++)
            {
                (await http.GetAsync(new Uri("/api/dashboard/cluster", UriKind.Relative))).Dispose();
            }
        });
        Console.WriteLine("# Cost of one unit of dashboard work (warm, back to back, process CPU)");
        Console.WriteLine();
        Console.WriteLine("| operation | CPU each | at once a second, share of 2 cores |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| sample the silo's counters | {sampleCpu.TotalMicroseconds / operations:0} µs | {sampleCpu.TotalSeconds / operations / Environment.ProcessorCount:0.000%} |");
        Console.WriteLine($"| GET /api/dashboard/cluster | {pollCpu.TotalMicroseconds / operations:0} µs | {pollCpu.TotalSeconds / operations / Environment.ProcessorCount:0.000%} |");
        Console.WriteLine();

        // The same at rest over whole seconds, unwatched versus polled, alternating; the background compiler has settled by now.
        var quiet = TimeSpan.FromSeconds(Math.Max(10, seconds));
        Console.WriteLine($"# Process CPU at rest ({quiet.TotalSeconds:0} s per run, no grain calls)");
        Console.WriteLine();
        Console.WriteLine("| run | unwatched | polled every 1 s |");
        Console.WriteLine("|---:|---:|---:|");
        for (var pass = 1; pass <= 3; pass++)
        {
            while (sampler.IsSampling)
            {
                await Task.Delay(100);
            }

            var idleCpu = await CpuDuringAsync(() => Task.Delay(quiet));
            var polledCpu = await CpuDuringAsync(async () =>
            {
                using var stopQuiet = new CancellationTokenSource(quiet);
                await PollAsync(http, stopQuiet.Token);
            });
            Console.WriteLine($"| {pass} | {idleCpu.TotalMilliseconds / quiet.TotalSeconds:0.0} ms/s | {polledCpu.TotalMilliseconds / quiet.TotalSeconds:0.0} ms/s |");
        }

        Console.WriteLine();
        Console.WriteLine($"# Dashboard collection overhead ({Environment.ProcessorCount} cores, {callers} callers on {callers} grains, {seconds:0.#} s per run)");
        Console.WriteLine();
        Console.WriteLine("| round | unwatched calls/s | polled every 1 s calls/s | difference | polls | mean poll time | response size |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        var unwatched = new List<double>();
        var watched = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            while (sampler.IsSampling)
            {
                await Task.Delay(100);
            }

            var idle = await CallLoad.ClosedLoopAsync(Call, callers, TimeSpan.FromSeconds(seconds));
            if (sampler.IsSampling)
            {
                throw new InvalidOperationException("The sampler ran during an unwatched round.");
            }

            using var stop = new CancellationTokenSource();
            var poller = PollAsync(http, stop.Token);
            var polled = await CallLoad.ClosedLoopAsync(Call, callers, TimeSpan.FromSeconds(seconds));
            await stop.CancelAsync();
            var (polls, meanMilliseconds, bytes) = await poller;
            unwatched.Add(idle);
            watched.Add(polled);
            Console.WriteLine($"| {round} | {idle:N0} | {polled:N0} | {(polled - idle) / idle:+0.0%;-0.0%} | {polls} | {meanMilliseconds:0.0} ms | {bytes / 1024.0:0.0} KiB |");
        }

        var medianIdle = Median(unwatched);
        var medianPolled = Median(watched);
        Console.WriteLine();
        Console.WriteLine($"Median: unwatched {medianIdle:N0} calls/s, polled {medianPolled:N0} calls/s, difference {(medianPolled - medianIdle) / medianIdle:+0.0%;-0.0%}.");
        await app.StopAsync();
    }

    /// <summary>GET /api/dashboard/cluster once a second, as the page does; returns how many, their mean time and the last size.</summary>
    private static async Task<(int Polls, double MeanMilliseconds, long Bytes)> PollAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var polls = 0;
        var total = TimeSpan.Zero;
        long bytes = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                var started = Stopwatch.GetTimestamp();
                var body = await http.GetByteArrayAsync(new Uri("/api/dashboard/cluster", UriKind.Relative), cancellationToken);
                total += Stopwatch.GetElapsedTime(started);
                bytes = body.Length;
                polls++;
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }

        return (polls, polls == 0 ? 0 : total.TotalMilliseconds / polls, bytes);
    }

    private static async Task<TimeSpan> CpuDuringAsync(Func<Task> run)
    {
        var before = Environment.CpuUsage.TotalTime;
        await run();
        return Environment.CpuUsage.TotalTime - before;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
