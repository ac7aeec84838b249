using System.Diagnostics;
using System.Globalization;
using Lineage.Benchmarks.Runtime;
using Lineage.Runtime;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Benchmarks.Cluster;

/// <summary>A two-process cluster for benchmarks: a silo in this process and a second silo in a child process (this same
/// executable, <c>cluster-silo</c>), sharing one SQLite file for state and membership, on loopback.</summary>
internal sealed class BenchmarkCluster : IAsyncDisposable
{
    private const string SiloCommand = "cluster-silo";
    private static readonly string Secret = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "-benchmark";

    private readonly string _directory;
    private readonly Process _child;

    private BenchmarkCluster(string directory, BenchmarkSilo local, Process child, SiloAddress remote)
    {
        _directory = directory;
        Local = local;
        _child = child;
        Remote = remote;
    }

    /// <summary>The silo in this process; calls made through its factory to grains owned by <see cref="Remote"/> cross processes.</summary>
    public BenchmarkSilo Local { get; }

    /// <summary>The child process's silo.</summary>
    public SiloAddress Remote { get; }

    public int RemotePid => _child.Id;

    /// <summary>Starts both silos with the default cluster settings (only port and secret are set) and waits until each sees both.</summary>
    public static async Task<BenchmarkCluster> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("lineage-cluster-bench-").FullName;
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { typeof(BenchmarkCluster).Assembly.Location, SiloCommand, directory, clusterId, Secret },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var ready = await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The child silo exited before it was ready.");
        var remote = SiloAddress.Parse(ready);

        var local = await StartSiloAsync(directory, clusterId, Secret);
        var membership = local.Services.GetRequiredService<IClusterMembership>();
        var deadline = Stopwatch.StartNew();
        while (membership.Snapshot.Entries.Count(e => e.Status == SiloStatus.Active) < 2)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("The two silos did not see each other within 30 s.");
            }

            await Task.Delay(50);
        }

        return new BenchmarkCluster(directory, local, child, remote);
    }

    /// <summary>Keys of <typeparamref name="TGrain"/> whose owner, in the local silo's view, is the remote silo.</summary>
    public IReadOnlyList<long> KeysOnRemote<TGrain>(int count)
        where TGrain : IGrainWithIntegerKey
    {
        var keys = new List<long>(count);
        for (long key = 0; keys.Count < count; key++)
        {
            if (Local.OwnerOf(Local.Grains.GetGrain<TGrain>(key).GetGrainId()) == Remote)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    /// <summary>Kills the child silo as a crash would: no goodbye, no flush beyond what it already acknowledged.</summary>
    public void KillRemote()
    {
        _child.Kill(entireProcessTree: true);
        _child.WaitForExit();
    }

    /// <summary>The child side: joins, prints its address, and leaves gracefully when its standard input closes.</summary>
    public static async Task RunChildSiloAsync(string[] args)
    {
        await using var silo = await StartSiloAsync(args[0], args[1], args[2]);
        Console.WriteLine(silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
        await Console.In.ReadToEndAsync();
    }

    private static Task<BenchmarkSilo> StartSiloAsync(string directory, string clusterId, string secret) =>
        BenchmarkSilo.StartAsync(silo =>
        {
            silo.AddSqliteGrainStorage(configure: o => o.DataDirectory = directory);
            silo.UseSqliteMembership(clusterId, o => o.DataDirectory = directory);
            silo.UseCluster(o =>
            {
                o.ClusterId = clusterId;
                o.Secret = secret;
                o.SiloPort = 0;
            });
        });

    public async ValueTask DisposeAsync()
    {
        if (!_child.HasExited)
        {
            _child.StandardInput.Close();
            await _child.WaitForExitAsync();
        }

        await Local.DisposeAsync();
        _child.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Format(double microseconds) =>
        microseconds < 1000 ? string.Create(CultureInfo.InvariantCulture, $"{microseconds:0} µs") : string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:0.0} ms");
}
