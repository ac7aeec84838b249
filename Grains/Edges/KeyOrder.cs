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
