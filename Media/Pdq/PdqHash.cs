using System.Globalization;
using System.Numerics;

namespace Lineage.Media.Pdq;

/// <summary>A 256-bit PDQ hash, held as four 64-bit words in the order of its hexadecimal form (word 0 = the first 16 hex digits).</summary>
/// <remarks>
/// <para>PDQ numbers its bits by DCT coefficient: bit <c>k</c> is row <c>k / 16</c>, column <c>k % 16</c> of the 16×16 block, stored in
/// 16-bit slot <c>k / 16</c>; the hex form prints slot 15 first. <see cref="GetSlot"/> and <see cref="Create"/> hide that numbering.</para>
/// <para>A value type of 32 bytes with no references, so millions of them sit in arrays without costing the garbage collector.</para>
/// </remarks>
public readonly record struct PdqHash(ulong W0, ulong W1, ulong W2, ulong W3)
{
    /// <summary>Number of bits in a hash.</summary>
    public const int BitCount = 256;

    /// <summary>Length of the hexadecimal form.</summary>
    public const int HexLength = 64;

    /// <summary>Number of 16-bit slots (one per row of DCT coefficients).</summary>
    public const int SlotCount = 16;

    /// <summary>Hamming distance to <paramref name="other"/>: how many of the 256 bits differ.</summary>
    public int DistanceTo(in PdqHash other) =>
        BitOperations.PopCount(W0 ^ other.W0) + BitOperations.PopCount(W1 ^ other.W1) +
        BitOperations.PopCount(W2 ^ other.W2) + BitOperations.PopCount(W3 ^ other.W3);

    /// <summary>Slot <paramref name="slot"/> (0–15) in PDQ's numbering: the bits of DCT row <paramref name="slot"/>.</summary>
    public ushort GetSlot(int slot)
    {
        // Slot 15 is printed first, so it is the top 16 bits of W0.
        var position = SlotCount - 1 - slot;
        var word = (position >> 2) switch { 0 => W0, 1 => W1, 2 => W2, _ => W3 };
        return (ushort)(word >> ((3 - (position & 3)) * 16));
    }

    /// <summary>Builds a hash from its 16 slots in PDQ's numbering.</summary>
    public static PdqHash Create(ReadOnlySpan<ushort> slots)
    {
        if (slots.Length != SlotCount)
        {
            throw new ArgumentException($"A PDQ hash has {SlotCount} slots, not {slots.Length}.", nameof(slots));
        }

        Span<ulong> words = stackalloc ulong[4];
        for (var slot = 0; slot < SlotCount; slot++)
        {
            var position = SlotCount - 1 - slot;
            words[position >> 2] |= (ulong)slots[slot] << ((3 - (position & 3)) * 16);
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    /// <summary>Parses the 64-digit hexadecimal form (either case).</summary>
    /// <exception cref="FormatException">The text is not 64 hexadecimal digits; the message says what is wrong.</exception>
    public static PdqHash Parse(ReadOnlySpan<char> hex)
    {
        if (hex.Length != HexLength)
        {
            throw new FormatException($"A PDQ hash is {HexLength} hexadecimal digits; got {hex.Length} characters.");
        }

        if (!TryParse(hex, out var hash))
        {
            throw new FormatException($"A PDQ hash is {HexLength} hexadecimal digits; '{hex}' contains other characters.");
        }

        return hash;
    }

    /// <summary>Parses the 64-digit hexadecimal form; false when it is not exactly that.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out PdqHash hash)
    {
        hash = default;
        if (hex.Length != HexLength
            || !ulong.TryParse(hex[..16], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var w0)
            || !ulong.TryParse(hex[16..32], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var w1)
            || !ulong.TryParse(hex[32..48], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var w2)
            || !ulong.TryParse(hex[48..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var w3))
        {
            return false;
        }

        hash = new PdqHash(w0, w1, w2, w3);
        return true;
    }

    /// <summary>The 64-digit lower-case hexadecimal form, as the reference implementations print it.</summary>
    public override string ToString() => string.Create(HexLength, this, static (span, hash) =>
    {
        hash.W0.TryFormat(span, out _, "x16", CultureInfo.InvariantCulture);
        hash.W1.TryFormat(span[16..], out _, "x16", CultureInfo.InvariantCulture);
        hash.W2.TryFormat(span[32..], out _, "x16", CultureInfo.InvariantCulture);
        hash.W3.TryFormat(span[48..], out _, "x16", CultureInfo.InvariantCulture);
    });
}
