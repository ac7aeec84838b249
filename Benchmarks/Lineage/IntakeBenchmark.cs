using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Lineage.Benchmarks.Media;
using Lineage.Media.Pdq;

namespace Lineage.Benchmarks.Domain;

/// <summary>Ingests a sighting NDJSON file into a real silo process over HTTP, as the CLI does, and measures sightings/s, the silo's
/// peak memory, and then the trace of the largest tree warm and cold (after a restart on the same data).</summary>
internal static class IntakeBenchmark
{
    // Traces per measurement; the first ones also pay for tiered JIT compilation of the walk (a method is recompiled optimised after
    // about 30 calls), so "steady" is the median of the last 25, the state of a silo that has been serving investigators a while.
    private const int Traces = 50;
    private const int SteadyFrom = 25;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(string[] args)
    {
        var file = BenchmarkArguments.Text(args, "--file") ?? throw new ArgumentException("--file FILE.ndjson is required (make it with: lineage convert-cascades twitter15_16_trees.tar.gz -o FILE)");
        var siloDll = Path.GetFullPath(BenchmarkArguments.Text(args, "--silo") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Silo", "bin", "Release", "net10.0", "Lineage.Silo.dll"));
        var batch = BenchmarkArguments.Integer(args, "--batch", 5000);
        var parallel = BenchmarkArguments.Integer(args, "--parallel", 4);
        var limit = BenchmarkArguments.Integer(args, "--limit", int.MaxValue);
        var pdqEvery = BenchmarkArguments.Integer(args, "--pdq-every", 0);
        var extra = BenchmarkArguments.Text(args, "--silo-args")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var dataDirectory = Path.Combine(Path.GetTempPath(), "lineage-intake-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        Console.WriteLine($"silo {siloDll}, data {dataDirectory}, batches of {batch}, {parallel} in flight, at most {limit:N0} sightings, pdq on every {pdqEvery}th (0: none), extra silo args: {string.Join(' ', extra)}");
        try
        {
            var (treeId, treeSize) = LargestTree(file, limit);
            long records = 0, accepted = 0, duplicates = 0, refused = 0;
            double seconds;
            long peakKb;
            using (var silo = await SiloProcess.StartAsync(siloDll, dataDirectory, extra))
            {
                var clock = Stopwatch.StartNew();
                using var slots = new SemaphoreSlim(parallel);
                var inFlight = new List<Task>();
                foreach (var body in Batches(file, batch, limit, pdqEvery))
                {
                    await slots.WaitAsync();
                    inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
                    inFlight.Add(Task.Run(async () =>
                    {
                        try
                        {
                            using var content = new ByteArrayContent(body);
                            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
                            using var response = await silo.Http.PostAsync("/api/lineage/sightings", content);
                            response.EnsureSuccessStatusCode();
                            var report = (await response.Content.ReadFromJsonAsync<JsonElement>(Json))!;
                            Interlocked.Add(ref records, report.GetProperty("received").GetInt64());
                            Interlocked.Add(ref accepted, report.GetProperty("accepted").GetInt64());
                            Interlocked.Add(ref duplicates, report.GetProperty("duplicates").GetInt64());
                            Interlocked.Add(ref refused, report.GetProperty("refused").GetInt64());
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }));
                }

                await Task.WhenAll(inFlight);
                seconds = clock.Elapsed.TotalSeconds;
                peakKb = silo.PeakKilobytes();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ingest: {records:N0} sightings in {seconds:0.0} s = {records / seconds:N0} sightings/s; accepted {accepted:N0}, duplicates {duplicates:N0}, refused {refused:N0}; silo peak memory (VmHWM) {peakKb / 1024.0:N0} MiB; silo CPU {silo.CpuSeconds():0.0} s"));
                var warm = await TraceTimesAsync(silo, treeId, Traces);
                Console.WriteLine($"trace of the largest tree twitter/{treeId} ({treeSize:N0} sightings): first after ingest {warm[0]:0.0} ms, next 5 median {Median(warm.Skip(1).Take(5)):0.0} ms, steady median (traces {SteadyFrom + 1}-{Traces}) {Median(warm.Skip(SteadyFrom)):0.0} ms");
            }

            using (var restarted = await SiloProcess.StartAsync(siloDll, dataDirectory, extra))
            {
                var times = await TraceTimesAsync(restarted, treeId, Traces);
                Console.WriteLine($"after restart: cold {times[0]:0.0} ms, next 5 median {Median(times.Skip(1).Take(5)):0.0} ms, steady median {Median(times.Skip(SteadyFrom)):0.0} ms");
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<double[]> TraceTimesAsync(SiloProcess silo, string treeId, int count)
    {
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            var trace = await silo.Http.GetFromJsonAsync<JsonElement>($"/api/lineage/trace?post=twitter/{treeId}&maxNodes=100000&take=0&subjects=false");
            times[i] = clock.Elapsed.TotalMilliseconds;
            if (i == 0)
            {
                Console.WriteLine($"  trace: {trace.GetProperty("nodeCount").GetInt32():N0} posts, depth {trace.GetProperty("depth").GetInt32()}, {trace.GetProperty("accountCount").GetInt32():N0} accounts, truncated {trace.GetProperty("completeness").GetProperty("truncated").GetBoolean()}");
            }
        }

        return times;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The tree (by source reference) with the most sightings among the first <paramref name="limit"/>, and its size; its root
    /// post id is the tree id.</summary>
    private static (string TreeId, int Size) LargestTree(string file, int limit)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(file).Take(limit))
        {
            var at = line.IndexOf("\"sourceRef\":\"", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var start = at + 13;
            var reference = line[start..line.IndexOf('"', start)];
            counts[reference] = counts.GetValueOrDefault(reference) + 1;
        }

        var largest = counts.MaxBy(c => c.Value);
        return (largest.Key[(largest.Key.LastIndexOf('/') + 1)..], largest.Value);
    }

    /// <summary>The file's sightings in NDJSON batches; with <paramref name="pdqEvery"/> &gt; 0, every such sighting also carries a
    /// synthetic PDQ hash of quality 90 — random, except that every tenth is a near-duplicate (≤ 24 bits flipped) of an earlier one,
    /// so the near-duplicate grouping does real joins.</summary>
    private static IEnumerable<byte[]> Batches(string file, int size, int limit, int pdqEvery)
    {
        var builder = new StringBuilder();
        var lines = 0;
        var total = 0;
        var random = new Random(20251123);
        var hashes = new List<PdqHash>();
        foreach (var line in File.ReadLines(file).Take(limit))
        {
            total++;
            if (pdqEvery > 0 && total % pdqEvery == 0 && line.EndsWith('}'))
            {
                var hash = hashes.Count > 0 && random.Next(10) == 0 ? SyntheticHashes.Flip(hashes[random.Next(hashes.Count)], random, random.Next(1, 25)) : SyntheticHashes.Random(random);
                hashes.Add(hash);
                builder.Append(line.AsSpan(0, line.Length - 1)).Append(",\"pdq\":\"").Append(hash.ToString()).Append("\",\"pdqQuality\":90}\n");
            }
            else
            {
                builder.Append(line).Append('\n');
            }

            if (++lines == size)
            {
                yield return Encoding.UTF8.GetBytes(builder.ToString());
                builder.Clear();
                lines = 0;
            }
        }

        if (lines > 0)
        {
            yield return Encoding.UTF8.GetBytes(builder.ToString());
        }
    }

    /// <summary>The real silo, started as its own process on a free loopback port.</summary>
    private sealed class SiloProcess : IDisposable
    {
        private readonly Process _process;

        private SiloProcess(Process process, HttpClient http)
        {
            _process = process;
            Http = http;
        }

        public HttpClient Http { get; }

        public static async Task<SiloProcess> StartAsync(string dll, string dataDirectory, string[] extra)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in (string[])[dll, "--Urls", $"http://127.0.0.1:{port}", "--Storage:Sqlite:DataDirectory", dataDirectory, "--Logging:LogLevel:Default", "Warning", .. extra])
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("silo: " + e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    using var health = await http.GetAsync("/health");
                    if (health.IsSuccessStatusCode)
                    {
                        return new SiloProcess(process, http);
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                }

                await Task.Delay(100);
            }
        }

        public long PeakKilobytes() => ReadStatus("VmHWM:");

        public double CpuSeconds()
        {
            _process.Refresh();
            return _process.TotalProcessorTime.TotalSeconds;
        }

        public void Dispose()
        {
            // SIGTERM: the silo deactivates its grains and flushes queued writes before it exits.
            Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                _process.Kill();
            }

            Http.Dispose();
            _process.Dispose();
        }

        private long ReadStatus(string field)
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
            return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
    }
}
