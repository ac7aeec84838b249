using Lineage.Media.Pdq;

namespace Lineage.Benchmarks.Media;

/// <summary>Synthetic PDQ hashes for the benchmarks: uniformly random ones, and near-duplicates of a hash.</summary>
internal static class SyntheticHashes
{
    /// <summary>A hash with each of its 256 bits drawn at random.</summary>
    public static PdqHash Random(Random random) =>
        new((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63), (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63),
            (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63), (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63));

    /// <summary><paramref name="hash"/> with exactly <paramref name="bits"/> distinct bits flipped, so at that distance from it.</summary>
    public static PdqHash Flip(PdqHash hash, Random random, int bits)
    {
        Span<ulong> words = [hash.W0, hash.W1, hash.W2, hash.W3];
        var flipped = new HashSet<int>();
        while (flipped.Count < bits)
        {
            var bit = random.Next(256);
            if (flipped.Add(bit))
            {
                words[bit / 64] ^= 1UL << (bit % 64);
            }
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }
}
