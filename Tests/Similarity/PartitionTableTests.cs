using Lineage.Grains.Similarity;
using Lineage.Media.Pdq;

namespace Lineage.Tests.Similarity;

/// <summary>A partition's in-memory table answers exactly what brute force does, each match once, however it was filled — including
/// families of near-duplicates that crowd the same buckets, where the 96-bit filter and the once-per-hash rule are tested hardest.</summary>
public sealed class PartitionTableTests
{
    private static readonly int[] Thresholds = [0, 1, 15, 16, 17, 31, 32, 47, 48, 63];

    [Fact]
    public void Matches_equal_brute_force_for_every_threshold_whether_hashes_were_added_or_reloaded()
    {
        var random = new Random(5);
        var hashes = Corpus(random);
        var distinct = hashes.Distinct().ToArray();

        var added = new PartitionTable();
        var newOnes = hashes.Count(h => added.Add(h));
        Assert.Equal(distinct.Length, newOnes);
        Assert.Equal(distinct.Length, added.Count);

        // As after a restart: most hashes read back in bulk, then more added one by one.
        var reloaded = new PartitionTable();
        reloaded.AppendUnindexed(distinct.AsSpan(0, distinct.Length - 500));
        reloaded.IndexAppended();
        foreach (var hash in hashes)
        {
            reloaded.Add(hash);
        }

        Assert.Equal(distinct.Length, reloaded.Count);

        var queries = distinct.Take(60).Select(h => Flip(h, random, random.Next(0, 40)))
            .Concat(Enumerable.Range(0, 20).Select(_ => RandomHash(random)))
            .ToArray();
        var compared = 0;
        foreach (var threshold in Thresholds)
        {
            var masks = SlotProbes.Masks(SlotProbes.RadiusFor(threshold));
            foreach (var query in queries)
            {
                var expected = distinct.Select(h => (Hash: h, Distance: h.DistanceTo(query))).Where(m => m.Distance <= threshold)
                    .OrderBy(m => m.Hash.ToString(), StringComparer.Ordinal).ToArray();
                foreach (var table in new[] { added, reloaded })
                {
                    var matches = new List<HashDistance>();
                    table.Match(query, threshold, masks, matches);
                    var actual = matches.Select(m => (Hash: new PdqHash(m.W0, m.W1, m.W2, m.W3), m.Distance))
                        .OrderBy(m => m.Hash.ToString(), StringComparer.Ordinal).ToArray();
                    Assert.Equal(expected, actual);
                }

                compared += expected.Length;
            }
        }

        Assert.True(compared > 10_000, $"only {compared} matches compared: the corpus should crowd buckets with near-duplicates");
    }

    [Fact]
    public void Repacking_a_grown_table_keeps_every_hash_findable()
    {
        var random = new Random(9);
        var table = new PartitionTable();
        var hashes = Enumerable.Range(0, 140_000).Select(_ => RandomHash(random)).ToArray();
        foreach (var chunk in hashes.Chunk(1_000))
        {
            foreach (var hash in chunk)
            {
                table.Add(hash);
            }

            table.Maintain(); // from 65,536 hashes, after each quarter of growth, one slot per call is repacked
        }

        var masks = SlotProbes.Masks(1);
        foreach (var hash in hashes.Where((_, i) => i % 7_000 == 0))
        {
            var query = Flip(hash, random, 25);
            var matches = new List<HashDistance>();
            table.Match(query, 31, masks, matches);
            var expected = hashes.Where(h => h.DistanceTo(query) <= 31).ToArray();
            Assert.Equal(expected, matches.Select(m => new PdqHash(m.W0, m.W1, m.W2, m.W3)));
        }

        Assert.False(table.Add(hashes[123_456]));
        Assert.Equal(hashes.Length, table.Count);
    }

    [Fact]
    public void Searching_before_reloaded_hashes_are_indexed_is_refused_rather_than_answered_from_part_of_the_table()
    {
        var table = new PartitionTable();
        table.AppendUnindexed([RandomHash(new Random(1))]);

        Assert.Throws<InvalidOperationException>(() => table.Match(default, 31, SlotProbes.Masks(1), []));
        Assert.Throws<InvalidOperationException>(() => table.Add(default));
    }

    /// <summary>Families of near-duplicates (shared slot values, crowded buckets), exact duplicates, and unrelated hashes.</summary>
    private static List<PdqHash> Corpus(Random random)
    {
        var hashes = new List<PdqHash>();
        for (var family = 0; family < 30; family++)
        {
            var original = RandomHash(random);
            for (var member = 0; member < 150; member++)
            {
                hashes.Add(Flip(original, random, random.Next(0, 50)));
            }
        }

        hashes.AddRange(Enumerable.Range(0, 3000).Select(_ => RandomHash(random)));
        hashes.AddRange(hashes.Take(300).ToArray()); // duplicates
        return [.. hashes.OrderBy(_ => random.Next())];
    }

    private static PdqHash RandomHash(Random random) =>
        new((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63), (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63),
            (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63), (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63));

    private static PdqHash Flip(PdqHash hash, Random random, int bits)
    {
        Span<ulong> words = [hash.W0, hash.W1, hash.W2, hash.W3];
        for (var i = 0; i < bits; i++)
        {
            var bit = random.Next(256);
            words[bit / 64] ^= 1UL << (bit % 64);
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }
}
