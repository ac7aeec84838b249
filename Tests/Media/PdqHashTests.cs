using Lineage.Media.Pdq;

namespace Lineage.Tests.Media;

public sealed class PdqHashTests
{
    private const string Bridge = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22";

    [Fact]
    public void Hex_form_round_trips_in_lower_case()
    {
        var hash = PdqHash.Parse(Bridge.ToUpperInvariant());

        Assert.Equal(Bridge, hash.ToString());
        Assert.Equal(hash, PdqHash.Parse(hash.ToString()));
    }

    [Fact]
    public void Slots_follow_pdq_numbering_with_slot_15_printed_first()
    {
        var hash = PdqHash.Parse(Bridge);

        Assert.Equal(0xd8f8, hash.GetSlot(15));
        Assert.Equal(0x9b22, hash.GetSlot(0));
        var slots = Enumerable.Range(0, 16).Select(i => hash.GetSlot(i)).ToArray();
        Assert.Equal(hash, PdqHash.Create(slots));
    }

    [Fact]
    public void Distance_counts_differing_bits()
    {
        var hash = PdqHash.Parse(Bridge);
        var flipped = hash with { W0 = hash.W0 ^ 0b1011, W3 = hash.W3 ^ (1UL << 63) };

        Assert.Equal(0, hash.DistanceTo(hash));
        Assert.Equal(4, hash.DistanceTo(flipped));
        Assert.Equal(256, hash.DistanceTo(new PdqHash(~hash.W0, ~hash.W1, ~hash.W2, ~hash.W3)));
    }

    [Theory]
    [InlineData("", "got 0 characters")]
    [InlineData("d8f8", "got 4 characters")]
    [InlineData("z8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22", "contains other characters")]
    [InlineData("+8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22", "contains other characters")]
    public void Malformed_hex_is_refused_saying_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PdqHash.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(PdqHash.TryParse(text, out _));
    }

    [Fact]
    public void A_flat_image_has_quality_zero_and_a_textured_one_quality_100()
    {
        var flat = new byte[128 * 96 * 3];
        Array.Fill(flat, (byte)120);
        var checks = new byte[128 * 96 * 3];
        for (var y = 0; y < 96; y++)
        {
            for (var x = 0; x < 128; x++)
            {
                var value = ((x / 8) + (y / 8)) % 2 == 0 ? (byte)255 : (byte)0;
                checks.AsSpan(((y * 128) + x) * 3, 3).Fill(value);
            }
        }

        Assert.Equal(0, PdqHasher.Hash(flat, 128, 96).Quality);
        Assert.Equal(100, PdqHasher.Hash(checks, 128, 96).Quality);
    }

    [Fact]
    public void Dihedral_hashes_equal_the_hashes_of_the_transformed_pixels()
    {
        // A square image whose rotations and flips are exact pixel permutations, so decoder noise cannot hide a sign error.
        const int size = 64;
        var random = new Random(5);
        var original = new byte[size * size * 3];
        random.NextBytes(original);
        var all = PdqHasher.HashDihedral(original, size, size);

        Assert.Equal(PdqHasher.Hash(original, size, size).Hash, all[PdqTransform.Original]);
        Assert.Equal(PdqHasher.Hash(Map(original, size, (x, y) => (size - 1 - x, size - 1 - y)), size, size).Hash, all[PdqTransform.Rotate180]);
        Assert.Equal(PdqHasher.Hash(Map(original, size, (x, y) => (y, x)), size, size).Hash, all[PdqTransform.FlipPlus1]);
        Assert.Equal(PdqHasher.Hash(Map(original, size, (x, y) => (x, size - 1 - y)), size, size).Hash, all[PdqTransform.FlipX]);
        Assert.Equal(PdqHasher.Hash(Map(original, size, (x, y) => (size - 1 - x, y)), size, size).Hash, all[PdqTransform.FlipY]);
    }

    /// <summary>Pixel (x, y) of the result is pixel <paramref name="source"/>(x, y) of the original.</summary>
    private static byte[] Map(byte[] original, int size, Func<int, int, (int X, int Y)> source)
    {
        var result = new byte[original.Length];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (sx, sy) = source(x, y);
                original.AsSpan(((sy * size) + sx) * 3, 3).CopyTo(result.AsSpan(((y * size) + x) * 3, 3));
            }
        }

        return result;
    }
}
