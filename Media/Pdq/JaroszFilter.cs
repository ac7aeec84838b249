using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Lineage.Media.Pdq;

/// <summary>Jarosz's tent filter ("Fast Image Convolutions", 2001): repeated 1-D box filters along rows then columns, which PDQ uses to
/// low-pass an image before sampling it down to 64×64.</summary>
/// <remarks>Each box filter is centred, with the window shrinking at the edges (it averages only the samples that exist), as PDQ's
/// description specifies. Sums are kept in <see cref="float"/> and accumulated in the same order as a per-vector running sum, so the
/// column pass — done as a sweep down the rows, a whole row of running sums at a time, which is what makes it cache- and SIMD-friendly
/// — produces exactly what filtering each column on its own would.</remarks>
internal static class JaroszFilter
{
    /// <summary>Window of each box pass for a dimension: a 64th of it, halved because two passes follow each other (rounded up).</summary>
    public static int WindowSize(int dimension) => (dimension + 127) / 128;

    /// <summary>Filters <paramref name="image"/> (row-major, <paramref name="height"/>×<paramref name="width"/>) in place with
    /// <paramref name="passes"/> row-then-column passes, using <paramref name="scratch"/> (same size) as the intermediate buffer.</summary>
    public static void Apply(Span<float> image, Span<float> scratch, int width, int height, int passes)
    {
        var rowWindow = WindowSize(width);
        var columnWindow = WindowSize(height);
        var sums = ArrayPool<float>.Shared.Rent(width);
        try
        {
            for (var pass = 0; pass < passes; pass++)
            {
                for (var row = 0; row < height; row++)
                {
                    BoxRow(image.Slice(row * width, width), scratch.Slice(row * width, width), rowWindow);
                }

                var columnSums = sums.AsSpan(0, width);
                columnSums.Clear();
                BoxColumns(scratch, image, columnSums, width, height, columnWindow);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sums);
        }
    }

    /// <summary>Centred box filter of one vector; the window is <paramref name="window"/> wide in the middle and shrinks at both ends.</summary>
    internal static void BoxRow(ReadOnlySpan<float> input, Span<float> output, int window)
    {
        var half = (window + 2) / 2;
        var length = input.Length;
        var sum = 0f;
        var count = 0;
        var right = 0;
        var left = 0;
        var written = 0;

        // Lead-in: the first half window is summed before anything is written.
        for (; right < half - 1; right++)
        {
            sum += input[right];
            count++;
        }

        // Growing window at the start.
        for (var i = 0; i < window - half + 1; i++, right++)
        {
            sum += input[right];
            count++;
            output[written++] = sum / count;
        }

        // Full window.
        for (var i = 0; i < length - window; i++, right++, left++)
        {
            sum += input[right];
            sum -= input[left];
            output[written++] = sum / count;
        }

        // Shrinking window at the end.
        for (var i = 0; i < half - 1; i++, left++)
        {
            sum -= input[left];
            count--;
            output[written++] = sum / count;
        }
    }

    /// <summary>The same box filter down every column, computed a row at a time with a vector of running sums.</summary>
    private static void BoxColumns(ReadOnlySpan<float> input, Span<float> output, Span<float> sums, int width, int height, int window)
    {
        var half = (window + 2) / 2;
        var count = 0;
        var right = 0;
        var left = 0;
        var written = 0;

        for (; right < half - 1; right++)
        {
            Add(sums, input.Slice(right * width, width));
            count++;
        }

        for (var i = 0; i < window - half + 1; i++, right++)
        {
            Add(sums, input.Slice(right * width, width));
            count++;
            Divide(sums, count, output.Slice(written++ * width, width));
        }

        for (var i = 0; i < height - window; i++, right++, left++)
        {
            Add(sums, input.Slice(right * width, width));
            Subtract(sums, input.Slice(left * width, width));
            Divide(sums, count, output.Slice(written++ * width, width));
        }

        for (var i = 0; i < half - 1; i++, left++)
        {
            Subtract(sums, input.Slice(left * width, width));
            count--;
            Divide(sums, count, output.Slice(written++ * width, width));
        }
    }

    private static void Add(Span<float> sums, ReadOnlySpan<float> row)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var sumVectors = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var rowVectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var v = 0; v < sumVectors.Length; v++)
            {
                sumVectors[v] += rowVectors[v];
            }

            i = sumVectors.Length * Vector<float>.Count;
        }

        for (; i < sums.Length; i++)
        {
            sums[i] += row[i];
        }
    }

    private static void Subtract(Span<float> sums, ReadOnlySpan<float> row)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var sumVectors = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var rowVectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var v = 0; v < sumVectors.Length; v++)
            {
                sumVectors[v] -= rowVectors[v];
            }

            i = sumVectors.Length * Vector<float>.Count;
        }

        for (; i < sums.Length; i++)
        {
            sums[i] -= row[i];
        }
    }

    private static void Divide(ReadOnlySpan<float> sums, int count, Span<float> output)
    {
        var i = 0;
        float divisor = count;
        if (Vector.IsHardwareAccelerated)
        {
            var sumVectors = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var outputVectors = MemoryMarshal.Cast<float, Vector<float>>(output);
            var divisors = new Vector<float>(divisor);
            for (var v = 0; v < sumVectors.Length; v++)
            {
                outputVectors[v] = sumVectors[v] / divisors;
            }

            i = sumVectors.Length * Vector<float>.Count;
        }

        for (; i < sums.Length; i++)
        {
            output[i] = sums[i] / divisor;
        }
    }
}
