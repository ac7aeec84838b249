using System.Buffers;

namespace Lineage.Media.Pdq;

/// <summary>Computes PDQ hashes from decoded RGB pixels, following PDQ's published description (Meta, 2017).</summary>
/// <remarks>
/// <para>Steps: RGB to luminance (Y = 0.299 R + 0.587 G + 0.114 B); Jarosz tent filter (two row+column box passes, window 1/128 of the
/// dimension) and decimation to 64×64 by sampling the filtered image at the centres of a 64×64 grid; a 2-D DCT of which only the 16×16
/// lowest frequencies without the DC row and column are kept (matrix form, D·A·Dᵀ with D the 16×64 DCT-II rows 1–16); one bit per
/// coefficient, set when it exceeds the median of the 256. Quality is the sum of quantised gradients of the 64×64 image, scaled to 0–100.</para>
/// <para>Thread-safe and stateless: the full-size buffers come from <see cref="ArrayPool{T}"/> and the small ones from the stack, so a
/// hash costs no garbage in the steady state.</para>
/// </remarks>
public static class PdqHasher
{
    private const int Size = 64;
    private const int Kept = 16;
    private const int JaroszPasses = 2;

    /// <summary>Row <c>i</c> is DCT-II basis function <c>i + 1</c> (the DC row is skipped) sampled at 64 points, scaled by √(2/64).</summary>
    private static readonly float[] DctMatrix = CreateDctMatrix();

    /// <summary>Hashes an image of packed 8-bit RGB triples, row-major without padding.</summary>
    /// <exception cref="ArgumentException">The buffer is smaller than <paramref name="width"/>×<paramref name="height"/>×3 or a
    /// dimension is not positive.</exception>
    public static PdqResult Hash(ReadOnlySpan<byte> rgb, int width, int height)
    {
        Span<float> coefficients = stackalloc float[Kept * Kept];
        var quality = Transform(rgb, width, height, coefficients);
        return new PdqResult(ToHash(coefficients), quality);
    }

    /// <summary>Hashes an image and its seven other rotations and flips, from one filtering and one DCT.</summary>
    public static PdqDihedralResult HashDihedral(ReadOnlySpan<byte> rgb, int width, int height)
    {
        Span<float> coefficients = stackalloc float[Kept * Kept];
        Span<float> transformed = stackalloc float[Kept * Kept];
        var quality = Transform(rgb, width, height, coefficients);
        var hashes = new PdqHash[8];
        for (var t = 0; t < hashes.Length; t++)
        {
            ApplyDihedral((PdqTransform)t, coefficients, transformed);
            hashes[t] = ToHash(transformed);
        }

        return new PdqDihedralResult(hashes, quality);
    }

    /// <summary>Fills <paramref name="coefficients"/> with the 16×16 DCT block and returns the quality.</summary>
    private static int Transform(ReadOnlySpan<byte> rgb, int width, int height, Span<float> coefficients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var pixels = checked(width * height);
        if (rgb.Length < checked(pixels * 3))
        {
            throw new ArgumentException($"A {width}×{height} RGB image needs {pixels * 3} bytes; got {rgb.Length}.", nameof(rgb));
        }

        var luma = ArrayPool<float>.Shared.Rent(pixels);
        var scratch = ArrayPool<float>.Shared.Rent(pixels);
        Span<float> small = stackalloc float[Size * Size];
        try
        {
            var image = luma.AsSpan(0, pixels);
            FillLuma(rgb, image);
            JaroszFilter.Apply(image, scratch.AsSpan(0, pixels), width, height, JaroszPasses);
            Decimate(image, width, height, small);
            var quality = Quality(small);
            Dct(small, coefficients);
            return quality;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
            ArrayPool<float>.Shared.Return(luma);
        }
    }

    private static void FillLuma(ReadOnlySpan<byte> rgb, Span<float> luma)
    {
        for (int i = 0, p = 0; i < luma.Length; i++, p += 3)
        {
            luma[i] = (0.299f * rgb[p]) + (0.587f * rgb[p + 1]) + (0.114f * rgb[p + 2]);
        }
    }

    /// <summary>Samples the filtered image at the centre of each cell of a 64×64 grid.</summary>
    private static void Decimate(ReadOnlySpan<float> image, int width, int height, Span<float> small)
    {
        Span<int> columns = stackalloc int[Size];
        for (var j = 0; j < Size; j++)
        {
            columns[j] = (int)((j + 0.5) * width / Size);
        }

        for (var i = 0; i < Size; i++)
        {
            var row = image.Slice((int)((i + 0.5) * height / Size) * width, width);
            for (var j = 0; j < Size; j++)
            {
                small[(i * Size) + j] = row[columns[j]];
            }
        }
    }

    /// <summary>PDQ's quality heuristic: vertical and horizontal differences of the 64×64 image, each quantised to whole percent of the
    /// 0–255 range (so that many tiny gradients count for nothing), summed and divided by 90, capped at 100.</summary>
    private static int Quality(ReadOnlySpan<float> small)
    {
        var gradientSum = 0;
        for (var i = 0; i < Size - 1; i++)
        {
            for (var j = 0; j < Size; j++)
            {
                gradientSum += Math.Abs((int)((small[(i * Size) + j] - small[((i + 1) * Size) + j]) * 100 / 255));
            }
        }

        for (var i = 0; i < Size; i++)
        {
            for (var j = 0; j < Size - 1; j++)
            {
                gradientSum += Math.Abs((int)((small[(i * Size) + j] - small[(i * Size) + j + 1]) * 100 / 255));
            }
        }

        return Math.Min(100, gradientSum / 90);
    }

    /// <summary>B = D·A·Dᵀ, computing only the 16×16 block that is kept.</summary>
    private static void Dct(ReadOnlySpan<float> small, Span<float> coefficients)
    {
        Span<float> partial = stackalloc float[Kept * Size];
        partial.Clear();
        var d = DctMatrix.AsSpan();
        for (var i = 0; i < Kept; i++)
        {
            var target = partial.Slice(i * Size, Size);
            for (var k = 0; k < Size; k++)
            {
                var factor = d[(i * Size) + k];
                var source = small.Slice(k * Size, Size);
                for (var j = 0; j < Size; j++)
                {
                    target[j] += factor * source[j];
                }
            }
        }

        for (var i = 0; i < Kept; i++)
        {
            var row = partial.Slice(i * Size, Size);
            for (var j = 0; j < Kept; j++)
            {
                var basis = d.Slice(j * Size, Size);
                var sum = 0f;
                for (var k = 0; k < Size; k++)
                {
                    sum += row[k] * basis[k];
                }

                coefficients[(i * Kept) + j] = sum;
            }
        }
    }

    /// <summary>One bit per coefficient: set when it is above the median (the 128th smallest of the 256).</summary>
    private static PdqHash ToHash(ReadOnlySpan<float> coefficients)
    {
        Span<float> sorted = stackalloc float[Kept * Kept];
        coefficients.CopyTo(sorted);
        sorted.Sort();
        var median = sorted[(Kept * Kept / 2) - 1];
        Span<ushort> slots = stackalloc ushort[Kept];
        for (var i = 0; i < Kept; i++)
        {
            var slot = 0;
            for (var j = 0; j < Kept; j++)
            {
                if (coefficients[(i * Kept) + j] > median)
                {
                    slot |= 1 << j;
                }
            }

            slots[i] = (ushort)slot;
        }

        return PdqHash.Create(slots);
    }

    /// <summary>The DCT block of the transformed image, from the original's: a rotation or flip of the image only transposes the block
    /// and/or negates its odd or even rows or columns, because cosine basis functions are symmetric or antisymmetric about the centre.</summary>
    internal static void ApplyDihedral(PdqTransform transform, ReadOnlySpan<float> original, Span<float> result)
    {
        var transpose = transform is PdqTransform.Rotate90 or PdqTransform.Rotate270 or PdqTransform.FlipPlus1 or PdqTransform.FlipMinus1;
        for (var i = 0; i < Kept; i++)
        {
            for (var j = 0; j < Kept; j++)
            {
                var negate = transform switch
                {
                    PdqTransform.Rotate90 or PdqTransform.FlipY => (j & 1) == 0,
                    PdqTransform.Rotate270 or PdqTransform.FlipX => (i & 1) == 0,
                    PdqTransform.Rotate180 or PdqTransform.FlipMinus1 => ((i + j) & 1) != 0,
                    _ => false,
                };
                var value = original[(i * Kept) + j];
                result[transpose ? (j * Kept) + i : (i * Kept) + j] = negate ? -value : value;
            }
        }
    }

    private static float[] CreateDctMatrix()
    {
        var matrix = new float[Kept * Size];
        var scale = Math.Sqrt(2.0 / Size);
        for (var i = 0; i < Kept; i++)
        {
            for (var j = 0; j < Size; j++)
            {
                matrix[(i * Size) + j] = (float)(scale * Math.Cos(Math.PI / 2 / Size * (i + 1) * ((2 * j) + 1)));
            }
        }

        return matrix;
    }
}
