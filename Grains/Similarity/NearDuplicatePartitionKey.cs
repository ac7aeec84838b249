using System.Globalization;
using Lineage.Media.Pdq;

namespace Lineage.Grains.Similarity;

/// <summary>Which partition grain holds a hash: partition <see cref="Index"/> of <see cref="Count"/>, chosen from the whole hash.</summary>
public readonly record struct NearDuplicatePartitionKey(int Index, int Count)
{
    /// <summary>Largest number of partitions.</summary>
    public const int MaxCount = 1024;

    /// <summary>The partition of <paramref name="count"/> that holds <paramref name="hash"/>.</summary>
    /// <remarks>A multiplicative mix of all four words, so partitions fill evenly whatever the hashes' bit patterns; near-duplicates land
    /// in different partitions, which is fine because a search asks every partition. Part of the stored data's layout: never change it.</remarks>
    public static NearDuplicatePartitionKey For(in PdqHash hash, int count)
    {
        var mixed = (hash.W0 ^ (hash.W1 * 0x9E3779B97F4A7C15UL) ^ (hash.W2 * 0xC2B2AE3D27D4EB4FUL) ^ (hash.W3 * 0x165667B19E3779F9UL))
            * 0xFF51AFD7ED558CCDUL;
        return new NearDuplicatePartitionKey((int)(((mixed >> 32) * (ulong)count) >> 32), count);
    }

    /// <summary>Every partition of an index of <paramref name="count"/>.</summary>
    public static IEnumerable<NearDuplicatePartitionKey> All(int count) =>
        Enumerable.Range(0, count).Select(index => new NearDuplicatePartitionKey(index, count));

    /// <summary>The grain key, e.g. <c>3of8</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}of{Count}");

    /// <summary>Parses a grain key made by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">The key is not of that form or its numbers are out of range.</exception>
    public static NearDuplicatePartitionKey Parse(string key)
    {
        var of = key.IndexOf("of", StringComparison.Ordinal);
        if (of < 1
            || !int.TryParse(key.AsSpan(0, of), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(key.AsSpan(of + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count is < 1 or > MaxCount || index >= count)
        {
            throw new FormatException($"'{key}' is not a near-duplicate partition key (expected INDEXofCOUNT with INDEX < COUNT ≤ {MaxCount}, e.g. 3of8).");
        }

        return new NearDuplicatePartitionKey(index, count);
    }
}
