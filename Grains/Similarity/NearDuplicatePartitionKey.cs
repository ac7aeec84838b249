using System.Globalization;

namespace Lineage.Grains.Similarity;

/// <summary>Which partition grain holds the hashes whose slot <see cref="Slot"/> has values in range <see cref="Range"/> of
/// <see cref="Ranges"/> equal ranges.</summary>
public readonly record struct NearDuplicatePartitionKey(int Slot, int Range, int Ranges)
{
    /// <summary>The partition of slot <paramref name="slot"/> that holds slot value <paramref name="value"/>.</summary>
    public static NearDuplicatePartitionKey For(int slot, ushort value, int ranges) => new(slot, value * ranges >> 16, ranges);

    /// <summary>First slot value of the range.</summary>
    public int First => (Range << 16) / Ranges;

    /// <summary>Number of slot values in the range.</summary>
    public int Length => 65536 / Ranges;

    /// <summary>The grain key, e.g. <c>07-2of4</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Slot:00}-{Range}of{Ranges}");

    /// <summary>Parses a grain key made by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">The key is not of that form or its numbers are out of range.</exception>
    public static NearDuplicatePartitionKey Parse(string key)
    {
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        var of = key.IndexOf("of", StringComparison.Ordinal);
        if (dash < 1 || of < dash + 2
            || !int.TryParse(key.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var slot)
            || !int.TryParse(key.AsSpan(dash + 1, of - dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var range)
            || !int.TryParse(key.AsSpan(of + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var ranges)
            || slot > 15 || ranges is < 1 or > 1024 || (ranges & (ranges - 1)) != 0 || range >= ranges)
        {
            throw new FormatException($"'{key}' is not a near-duplicate partition key (expected slot-RANGEofRANGES, e.g. 07-2of4).");
        }

        return new NearDuplicatePartitionKey(slot, range, ranges);
    }
}
