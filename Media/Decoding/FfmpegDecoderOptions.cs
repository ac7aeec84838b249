namespace Lineage.Media.Decoding;

/// <summary>Settings of <see cref="FfmpegImageDecoder"/>: which ffmpeg to run and the limits each file is decoded under.</summary>
public sealed class FfmpegDecoderOptions
{
    /// <summary>The ffmpeg executable, a path or a name looked up on PATH. Default: "ffmpeg" (Debian's package, installed by
    /// <c>scripts/setup.sh</c>).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Longest one file may take to decode before ffmpeg is killed and the file reported as too slow. Default: 20 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest image accepted, in pixels (width × height); bigger ones are refused before their pixels are read, which bounds
    /// memory per file at three bytes per pixel. Default: 50,000,000 (150 MB of RGB).</summary>
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>Largest file accepted, in bytes. Default: 200 MB.</summary>
    public long MaxFileBytes { get; set; } = 200L * 1024 * 1024;
}
