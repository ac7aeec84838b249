using Lineage.Grains.Similarity;
using Lineage.Media.Pdq;
using Lineage.Runtime.Hosting;
using Lineage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Similarity;

/// <summary>Partitions reload their segments in the background after activation, so an index too large to read back within the
/// activation timeout still comes back after a restart, and searches made meanwhile wait for the whole table (exact answers).</summary>
public sealed class PartitionReloadTests
{
    [Fact]
    public async Task An_index_that_takes_longer_to_reload_than_the_activation_timeout_comes_back_whole()
    {
        using var directory = new TempDirectory();
        var random = new Random(23);
        var hashes = Enumerable.Range(0, 1500).Select(_ => RandomHash(random)).ToArray();

        // One partition, one hash per segment: 1,500 storage reads to come back.
        Action<Lineage.Runtime.Hosting.SiloBuilder> configure = s => s.AddSqliteEdgeStore().AddNearDuplicateIndex(o =>
        {
            o.Partitions = 1;
            o.SegmentCapacity = 1;
        });

        await using (var silo = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: configure))
        {
            var index = silo.Services.GetRequiredService<NearDuplicateIndex>();
            foreach (var chunk in hashes.Chunk(100))
            {
                await index.AddHashesAsync(chunk);
            }
        }

        // Reading 1,500 segments cannot fit in a 1 ms activation; with the load after activation it need not.
        await using var restarted = await TestSilo.StartAsync(
            configure: o => o.ActivationTimeout = TimeSpan.FromMilliseconds(1), dataDirectory: directory.Path, silo: configure);
        var reopened = restarted.Services.GetRequiredService<NearDuplicateIndex>();

        // The first searches reach partitions still loading: they wait and see every stored hash.
        var found = await Task.WhenAll(hashes.Take(40).Select(h => reopened.FindHashesAsync(h, 0)));
        Assert.Equal(hashes.Take(40), found.Select(f => f.Single().Hash));
        Assert.Equal(hashes.Distinct().Count(),
            await restarted.GrainFactory.GetGrain<INearDuplicatePartitionGrain>(new NearDuplicatePartitionKey(0, 1).ToString()).Count());

        // Adds made after the reload go on after the reloaded tail.
        var late = RandomHash(random);
        await reopened.AddHashesAsync([late]);
        Assert.Equal(late, (await reopened.FindHashesAsync(late, 0)).Single().Hash);
    }

    private static PdqHash RandomHash(Random random) =>
        new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());
}
