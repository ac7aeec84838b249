using System.Buffers;

namespace Lineage.Media.Decoding;

/// <summary>Decoded pixels: packed 8-bit RGB, row-major, no padding, in a pooled buffer returned when disposed.</summary>
public sealed class DecodedImage : IDisposable
{
    private byte[]? _buffer;

    internal DecodedImage(byte[] buffer, int width, int height)
    {
        _buffer = buffer;
        Width = width;
        Height = height;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The RGB triples; valid until the image is disposed.</summary>
    public ReadOnlySpan<byte> Rgb => (_buffer ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, Width * Height * 3);

    /// <summary>Returns the pixel buffer to the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
