using System.Text;

namespace Lineage.Grains.Edges;

/// <summary>Orders keys the way the edge store pages them: by Unicode scalar value, which is UTF-8 byte order.</summary>
/// <remarks>Ordinal string comparison differs for characters outside the Basic Multilingual Plane (UTF-16 surrogates sort below
/// U+E000); an in-memory copy of a relation must sort exactly as the store does, or cursors would skip or repeat rows.</remarks>
public sealed class KeyOrder : IComparer<string>
{
    /// <summary>The comparer.</summary>
    public static KeyOrder Instance { get; } = new();

    /// <inheritdoc />
    /// <remarks>Ordinal where that gives the same answer, which is whenever the first difference involves no surrogate: comparing
    /// rune by rune for every key made ordering a 3,000-post trace an eighth of its time.</remarks>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var common = x.AsSpan().CommonPrefixLength(y);
        if (common > 0 && char.IsHighSurrogate(x[common - 1]))
        {
            // The difference (or an end) splits a surrogate pair.
            return CompareRunes(x, y);
        }

        if (common == x.Length || common == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        var left = x[common];
        var right = y[common];
        return char.IsSurrogate(left) || char.IsSurrogate(right) ? CompareRunes(x, y) : left.CompareTo(right);
    }

    private static int CompareRunes(string x, string y)
    {
        var left = x.EnumerateRunes();
        var right = y.EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft ? 1 : hasRight ? -1 : 0;
            }

            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}
