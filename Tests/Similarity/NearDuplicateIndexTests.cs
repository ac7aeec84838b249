using System.Globalization;
using Lineage.Grains.Similarity;
using Lineage.Media.Pdq;
using Lineage.Runtime.Hosting;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Media;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Similarity;

public sealed class NearDuplicateIndexTests(ITestOutputHelper output)
{
    private static readonly PdqHash Base = PdqHash.Parse("d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22");

    [Theory]
    [InlineData(31, 8)]
    [InlineData(31, 1)]
    [InlineData(10, 8)]
    [InlineData(47, 2)]
    [InlineData(63, 3)]
    public async Task Search_equals_brute_force_on_the_reference_haystack_and_needles(int threshold, int partitions)
    {
        var haystack = ReadHashes("haystack.txt");
        var needles = ReadHashes("needles.txt");
        await using var silo = await TestSilo.StartAsync(silo: s => s.AddSqliteEdgeStore().AddNearDuplicateIndex(o => o.Partitions = partitions));
        var index = silo.Services.GetRequiredService<NearDuplicateIndex>();
        await index.AddHashesAsync(haystack);

        var total = 0;
        foreach (var needle in needles)
        {
            var expected = haystack.Distinct()
                .Select(h => (Hash: h, Distance: h.DistanceTo(needle)))
                .Where(m => m.Distance <= threshold)
                .OrderBy(m => m.Distance).ThenBy(m => m.Hash.ToString(), StringComparer.Ordinal)
                .ToArray();

            var actual = await index.FindHashesAsync(needle, threshold);

            Assert.Equal(expected, actual);
            total += expected.Length;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"threshold {threshold}, {partitions} partitions: {needles.Count} needles, {haystack.Count} haystack hashes, {total} matches"));
        Assert.True(total > 0, "the reference needles should match something, or the comparison proves nothing");
    }

    [Fact]
    public async Task A_newly_banked_hash_is_matched_against_everything_already_indexed_with_owners_and_distances()
    {
        await using var silo = await TestSilo.StartAsync(silo: s => s.AddSqliteEdgeStore().AddNearDuplicateIndex());
        var index = silo.Services.GetRequiredService<NearDuplicateIndex>();
        var reencoded = Flip(Base, 0, 8, 16);
        var cropped = Flip(Base, Enumerable.Range(0, 28).Select(i => i * 8).ToArray());
        var unrelated = Flip(Base, Enumerable.Range(0, 40).Select(i => (i * 6) + 1).ToArray());
        Assert.Equal((28, 25, 68), (cropped.DistanceTo(Base), cropped.DistanceTo(reencoded), cropped.DistanceTo(unrelated)));

        Assert.Empty((await index.IndexAsync(Base, 90, new PdqOwner("sha256:a", "x/1"))).Matches);
        await index.IndexAsync(reencoded, 80, new PdqOwner("sha256:b", "x/2"));
        await index.IndexAsync(unrelated, 80, new PdqOwner("sha256:c", "x/3"));
        await index.IndexAsync(Base, 90, new PdqOwner("sha256:a", "y/9"));

        // A referral banks a cropped copy: it must find what was seen before it, nearest first.
        var banked = await index.IndexAsync(cropped, 70, new PdqOwner("referral:17", "referral/17"));

        Assert.True(banked.Accepted);
        Assert.Equal([(reencoded.ToString(), 25), (Base.ToString(), 28)], banked.Matches.Select(m => (m.Hash, m.Distance)));
        Assert.Equal([new PdqOwner("sha256:b", "x/2")], banked.Matches[0].Owners);
        Assert.Equal([new PdqOwner("sha256:a", "x/1"), new PdqOwner("sha256:a", "y/9")], banked.Matches[1].Owners);
        Assert.Equal(90, banked.Matches[1].Quality);

        // A second owner of an already indexed hash sees the first owner but not itself.
        var again = await index.IndexAsync(reencoded, 80, new PdqOwner("sha256:b", "x/4"));
        var self = again.Matches.Single(m => m.Hash == reencoded.ToString());
        Assert.Equal(0, self.Distance);
        Assert.Equal([new PdqOwner("sha256:b", "x/2")], self.Owners);
    }

    [Fact]
    public async Task Hashes_below_the_quality_floor_are_neither_indexed_nor_searched()
    {
        await using var silo = await TestSilo.StartAsync(silo: s => s.AddSqliteEdgeStore().AddNearDuplicateIndex(o => o.QualityFloor = 50));
        var index = silo.Services.GetRequiredService<NearDuplicateIndex>();

        var refused = await index.IndexAsync(Base, 49, new PdqOwner("sha256:a", "x/1"));

        Assert.False(refused.Accepted);
        Assert.Contains("below the floor of 50", refused.RefusedBecause, StringComparison.Ordinal);
        Assert.Empty(await index.FindHashesAsync(Base, 31));
        Assert.False((await index.MatchAsync(Base, 10)).Accepted);
        Assert.True((await index.IndexAsync(Base, 50, new PdqOwner("sha256:a", "x/1"))).Accepted);
        Assert.Single(await index.FindHashesAsync(Base, 31));
    }

    [Fact]
    public async Task Adding_the_same_owner_or_hash_again_changes_nothing()
    {
        await using var silo = await TestSilo.StartAsync(silo: s => s.AddSqliteEdgeStore().AddNearDuplicateIndex(o => o.Partitions = 1));
        var index = silo.Services.GetRequiredService<NearDuplicateIndex>();
        var owner = new PdqOwner("sha256:a", "x/1");

        await index.IndexAsync(Base, 90, owner);
        await index.IndexAsync(Base, 90, owner);
        await index.AddHashesAsync([Base, Base]);

        var match = Assert.Single((await index.MatchAsync(Base, 90)).Matches);
        Assert.Equal([owner], match.Owners);
        Assert.Equal(1, await silo.GrainFactory.GetGrain<INearDuplicatePartitionGrain>(new NearDuplicatePartitionKey(0, 1).ToString()).Count());
    }

    [Fact]
    public async Task A_hash_reposted_by_more_than_a_thousand_posts_keeps_every_owner_and_lists_the_first_thousand_in_post_order()
    {
        using var directory = new TempDirectory();
        Action<Lineage.Runtime.Hosting.SiloBuilder> configure = s => s.AddSqliteEdgeStore().AddNearDuplicateIndex();
        var owners = Enumerable.Range(0, PdqHashGrain.OwnersListed + 5)
            .Select(i => new PdqOwner("sha256:" + (i % 3), string.Create(CultureInfo.InvariantCulture, $"x/{i:00000}"))).ToArray();
        await using (var silo = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: configure))
        {
            var grain = silo.GrainFactory.GetGrain<IPdqHashGrain>(Base.ToString());
            var first = await grain.GetOwners(); // loads the (empty) list, which the adds below must keep up to date
            Assert.Empty(first.Owners);
            foreach (var owner in owners.Reverse())
            {
                Assert.True((await grain.AddOwner(owner, 80)).NewOwner);
            }

            Assert.False((await grain.AddOwner(owners[7], 80)).NewOwner);
            var listed = await grain.GetOwners();
            Assert.Equal(owners.Take(PdqHashGrain.OwnersListed), listed.Owners);
            Assert.True(listed.MoreOwners);
        }

        await using var restarted = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: configure);
        var reread = await restarted.GrainFactory.GetGrain<IPdqHashGrain>(Base.ToString()).GetOwners();
        Assert.Equal(owners.Take(PdqHashGrain.OwnersListed), reread.Owners);
        Assert.True(reread.MoreOwners);
        Assert.Equal(80, reread.Quality);

        // A search that finds the hash says its owner list was cut.
        var index = restarted.Services.GetRequiredService<NearDuplicateIndex>();
        await index.AddHashesAsync([Base]);
        var match = Assert.Single((await index.MatchAsync(Base, 80)).Matches);
        Assert.Equal(PdqHashGrain.OwnersListed, match.Owners.Count);
        Assert.True(match.MoreOwners);
    }

    [Fact]
    public async Task Indexed_hashes_and_owners_survive_a_silo_restart()
    {
        using var directory = new TempDirectory();
        var random = new Random(11);
        var hashes = Enumerable.Range(0, 300).Select(_ => RandomHash(random)).ToArray();
        var near = Flip(hashes[42], 1, 2, 3, 100, 101);
        Action<Lineage.Runtime.Hosting.SiloBuilder> configure = s => s.AddSqliteEdgeStore().AddNearDuplicateIndex(o =>
        {
            o.Partitions = 2;
            o.SegmentCapacity = 7; // many full segments and a partly filled tail per partition
        });

        await using (var silo = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: configure))
        {
            var index = silo.Services.GetRequiredService<NearDuplicateIndex>();
            foreach (var chunk in hashes.Chunk(37))
            {
                await index.AddHashesAsync(chunk);
            }

            await Task.WhenAll(hashes.Skip(100).Take(20).Select(h => index.AddHashesAsync([h]))); // concurrent adds share writes
            await index.IndexAsync(near, 77, new PdqOwner("sha256:n", "p/1"));
        }

        await using var restarted = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: configure);
        var reopened = restarted.Services.GetRequiredService<NearDuplicateIndex>();

        var found = await reopened.MatchAsync(hashes[42], 100);
        Assert.Equal([(hashes[42].ToString(), 0), (near.ToString(), 5)], found.Matches.Select(m => (m.Hash, m.Distance)));
        Assert.Equal([new PdqOwner("sha256:n", "p/1")], found.Matches[1].Owners);
        var counts = await Task.WhenAll(NearDuplicatePartitionKey.All(2).Select(key =>
            restarted.GrainFactory.GetGrain<INearDuplicatePartitionGrain>(key.ToString()).Count()));
        Assert.Equal(301, counts.Sum());
        Assert.All(counts, count => Assert.InRange(count, 100, 201)); // the hashes spread over both partitions
        foreach (var hash in hashes.Take(50))
        {
            Assert.Equal(hash, (await reopened.FindHashesAsync(hash, 0)).Single().Hash);
        }
    }

    [Fact]
    public async Task A_silo_configured_with_another_partition_count_refuses_the_index_by_name_instead_of_searching_an_empty_one()
    {
        using var directory = new TempDirectory();
        Action<Lineage.Runtime.Hosting.SiloBuilder> Partitions(int count) => s => s.AddSqliteEdgeStore().AddNearDuplicateIndex(o => o.Partitions = count);
        await using (var silo = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: Partitions(2)))
        {
            await silo.Services.GetRequiredService<NearDuplicateIndex>().AddHashesAsync([Base]);
        }

        await using (var changed = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: Partitions(3)))
        {
            var index = changed.Services.GetRequiredService<NearDuplicateIndex>();
            var refused = await Assert.ThrowsAsync<NearDuplicateIndexMismatchException>(() => index.FindHashesAsync(Base, 31));
            Assert.Contains("built with 2 partitions, but Similarity:Pdq:Partitions is 3", refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<NearDuplicateIndexMismatchException>(() => index.AddHashesAsync([Flip(Base, 1)]));
        }

        await using var restored = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: Partitions(2));
        Assert.Equal(Base, (await restored.Services.GetRequiredService<NearDuplicateIndex>().FindHashesAsync(Base, 0)).Single().Hash);
    }

    [Fact]
    public async Task An_index_moved_to_another_partition_count_finds_every_hash_it_held()
    {
        using var directory = new TempDirectory();
        Action<Lineage.Runtime.Hosting.SiloBuilder> Partitions(int count) => s => s.AddSqliteEdgeStore().AddNearDuplicateIndex(o => o.Partitions = count);
        var random = new Random(31);
        var hashes = Enumerable.Range(0, 400).Select(_ => RandomHash(random)).Append(Base).ToArray();
        await using (var silo = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: Partitions(2)))
        {
            await silo.Services.GetRequiredService<NearDuplicateIndex>().AddHashesAsync(hashes);
        }

        await using var moved = await TestSilo.StartAsync(dataDirectory: directory.Path, silo: Partitions(3));
        var index = moved.Services.GetRequiredService<NearDuplicateIndex>();
        await Assert.ThrowsAsync<NearDuplicateIndexMismatchException>(() => index.FindHashesAsync(Base, 31));

        Assert.Equal(new NearDuplicateRepartition(2, 3, hashes.Length), await index.RepartitionAsync(TestContext.Current.CancellationToken));

        foreach (var hash in hashes.Where((_, i) => i % 20 == 0))
        {
            Assert.Equal(hash, (await index.FindHashesAsync(hash, 0)).Single().Hash);
        }

        var counts = await Task.WhenAll(NearDuplicatePartitionKey.All(3).Select(key =>
            moved.GrainFactory.GetGrain<INearDuplicatePartitionGrain>(key.ToString()).Count()));
        Assert.Equal(hashes.Length, counts.Sum());
        Assert.Equal(new NearDuplicateRepartition(3, 3, 0), await index.RepartitionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Out_of_range_settings_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NearDuplicateIndexOptions { Threshold = 64 }.Validate());
        Assert.Equal(nameof(NearDuplicateIndexOptions.Threshold), error.ParamName);
        Assert.Equal(nameof(NearDuplicateIndexOptions.Partitions),
            Assert.Throws<ArgumentOutOfRangeException>(() => new NearDuplicateIndexOptions { Partitions = 0 }.Validate()).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearDuplicateIndexOptions { Partitions = 1025 }.Validate());
        Assert.Throws<FormatException>(() => NearDuplicatePartitionKey.Parse("8of8"));
        Assert.Throws<FormatException>(() => NearDuplicatePartitionKey.Parse("07-2of4"));
        Assert.Equal(new NearDuplicatePartitionKey(3, 8), NearDuplicatePartitionKey.Parse("3of8"));
    }

    private static List<PdqHash> ReadHashes(string file) =>
        [.. File.ReadLines(PdqData.File(file)).Where(line => line.Length > 0).Select(line => PdqHash.Parse(line.Trim()))];

    private static PdqHash RandomHash(Random random) =>
        new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());

    private static PdqHash Flip(PdqHash hash, params int[] bits)
    {
        Span<ulong> words = [hash.W0, hash.W1, hash.W2, hash.W3];
        foreach (var bit in bits)
        {
            words[bit / 64] ^= 1UL << (bit % 64);
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }
}
