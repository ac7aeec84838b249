namespace Lineage.Grains.Similarity;

/// <summary>The XOR masks that turn a 16-bit slot value into every value within a Hamming radius of it.</summary>
/// <remarks>Multi-index hashing rests on the pigeonhole principle: if two 256-bit hashes differ in at most T bits, then at least one
/// of their 16 slots differs in at most ⌊T/16⌋ bits. So probing, in every slot, the values within that radius of the query's finds every
/// candidate; full distances then decide.</remarks>
internal static class SlotProbes
{
    /// <summary>The radius each slot must be probed with for a whole-hash <paramref name="threshold"/>.</summary>
    public static int RadiusFor(int threshold) => threshold / 16;

    /// <summary>All 16-bit masks with at most <paramref name="radius"/> bits set, the zero mask first.</summary>
    public static ushort[] Masks(int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var masks = new List<ushort>();
        for (var mask = 0; mask < 65536; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) <= radius)
            {
                masks.Add((ushort)mask);
            }
        }

        masks.Sort((a, b) => System.Numerics.BitOperations.PopCount(a).CompareTo(System.Numerics.BitOperations.PopCount(b)));
        return [.. masks];
    }
}
