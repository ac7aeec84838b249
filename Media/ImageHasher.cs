using Lineage.Media.Decoding;
using Lineage.Media.Pdq;

namespace Lineage.Media;

/// <summary>PDQ hashes of image files: decodes each with ffmpeg and hashes its pixels.</summary>
public sealed class ImageHasher(FfmpegImageDecoder decoder)
{
    /// <summary>A hasher with the default decoder settings.</summary>
    public ImageHasher()
        : this(new FfmpegImageDecoder())
    {
    }

    /// <summary>The PDQ hash and quality of the image in <paramref name="path"/>.</summary>
    /// <exception cref="ImageDecodeException">The file cannot be decoded; the message names it and says why.</exception>
    public async Task<PdqResult> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        using var image = await decoder.DecodeAsync(path, cancellationToken);
        return PdqHasher.Hash(image.Rgb, image.Width, image.Height);
    }

    /// <summary>The PDQ hashes of the image in <paramref name="path"/> and of its seven rotations and flips.</summary>
    /// <exception cref="ImageDecodeException">The file cannot be decoded; the message names it and says why.</exception>
    public async Task<PdqDihedralResult> HashFileDihedralAsync(string path, CancellationToken cancellationToken = default)
    {
        using var image = await decoder.DecodeAsync(path, cancellationToken);
        return PdqHasher.HashDihedral(image.Rgb, image.Width, image.Height);
    }
}
