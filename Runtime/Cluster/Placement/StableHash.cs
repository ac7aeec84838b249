namespace Lineage.Runtime.Cluster.Placement;

/// <summary>A hash that every process computes the same way (unlike <see cref="string.GetHashCode()"/>, which is randomised per
/// process): FNV-1a over the string's UTF-16 code units, finished with a 64-bit mixer so that nearby keys spread over the ring.</summary>
internal static class StableHash
{
    public static ulong Hash64(string value) => Mix(Fold(14695981039346656037UL, value));

    public static ulong Hash64(string first, string second) => Mix(Fold(Fold(14695981039346656037UL, first) ^ 0x2F, second));

    public static int Hash32(string value)
    {
        var hash = Hash64(value);
        return (int)(hash ^ (hash >> 32));
    }

    private static ulong Fold(ulong hash, string value)
    {
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    // The finaliser of MurmurHash3's 64-bit variant: every input bit affects every output bit.
    private static ulong Mix(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
