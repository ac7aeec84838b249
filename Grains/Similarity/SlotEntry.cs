using System.Numerics;
using Lineage.Media.Pdq;

namespace Lineage.Grains.Similarity;

/// <summary>A hash as one slot's table holds it: 96 of its bits outside that slot's word, for a cheap lower bound on the distance, and
/// its id in the partition, for the full hash.</summary>
/// <remarks>16 bytes instead of the hash's 32, so a partition's 16 tables cost half of what 16 copies of the hash would. The 96 bits are
/// a strong filter: a random hash is within 31 bits of a query on 96 bits with probability 3 × 10⁻⁴, so almost every candidate is
/// rejected without touching its full hash, which lives elsewhere in memory.</remarks>
internal readonly struct SlotEntry(ulong next, uint afterNext, int id)
{
    private readonly ulong _next = next;
    private readonly uint _afterNext = afterNext;

    /// <summary>The hash's id in its partition.</summary>
    public int Id { get; } = id;

    /// <summary>The entry of <paramref name="hash"/> in the table of <paramref name="slot"/>: the word after the slot's word and the low
    /// half of the one after that (cyclically), so the filter bits never include the slot's own bits, whose distance the probe knows.</summary>
    public static SlotEntry For(in PdqHash hash, int slot, int id)
    {
        var word = WordOf(slot);
        return new SlotEntry(Word(hash, (word + 1) & 3), (uint)Word(hash, (word + 2) & 3), id);
    }

    /// <summary>Distance over the 96 filter bits: never more than the distance of the whole hashes.</summary>
    public int PartialDistanceTo(in SlotEntry other) =>
        BitOperations.PopCount(_next ^ other._next) + BitOperations.PopCount(_afterNext ^ other._afterNext);

    /// <summary>Which of <see cref="PdqHash"/>'s four words holds <paramref name="slot"/> (slot 15 is the top of word 0).</summary>
    private static int WordOf(int slot) => (PdqHash.SlotCount - 1 - slot) >> 2;

    private static ulong Word(in PdqHash hash, int word) => word switch { 0 => hash.W0, 1 => hash.W1, 2 => hash.W2, _ => hash.W3 };
}
