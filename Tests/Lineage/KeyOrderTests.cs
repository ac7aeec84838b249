using System.Text;
using Lineage.Grains.Edges;

namespace Lineage.Tests.Domain;

/// <summary>In-memory key order must be the edge store's (UTF-8 byte order), including where UTF-16 ordinal order is not.</summary>
public sealed class KeyOrderTests
{
    // ASCII, a character above the surrogates (U+FF5E sorts below U+1F600 in UTF-8 but above its surrogates in UTF-16), and pairs.
    private static readonly string[] Pieces = ["a", "b", "/", "0", "\uFF5E", "\uE000", "😀", "😁", "𝄞", "é"];

    [Fact]
    public void Keys_compare_as_their_utf8_bytes_do()
    {
        var random = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            var x = RandomKey(random);
            var y = random.Next(4) == 0 ? x + RandomKey(random) : RandomKey(random);
            var expected = Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));

            Assert.True(expected == Math.Sign(KeyOrder.Instance.Compare(x, y)), $"'{x}' vs '{y}': expected {expected}");
        }
    }

    [Fact]
    public void A_character_above_the_surrogates_sorts_before_one_beyond_the_basic_plane_unlike_ordinal_order()
    {
        Assert.True(string.CompareOrdinal("x\uFF5E", "x😀") > 0);
        Assert.True(KeyOrder.Instance.Compare("x\uFF5E", "x😀") < 0);
        Assert.True(KeyOrder.Instance.Compare("x😀", "x😁") < 0);
        Assert.Equal(0, KeyOrder.Instance.Compare("twitter/1", "twitter/1"));
    }

    private static string RandomKey(Random random)
    {
        var builder = new StringBuilder();
        for (var length = random.Next(0, 5); length > 0; length--)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }
}
