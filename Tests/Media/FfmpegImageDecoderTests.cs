using Lineage.Media;
using Lineage.Media.Decoding;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Media;

public sealed class FfmpegImageDecoderTests
{
    private static readonly string Bridge = Path.Combine(PdqData.Images, "reg-test-input", "dih", "bridge-1-original.jpg");

    [Fact]
    public async Task Decodes_a_jpeg_to_rgb_of_its_size()
    {
        using var image = await new FfmpegImageDecoder().DecodeAsync(Path.Combine(PdqData.Images, "misc-images", "c.png"), TestContext.Current.CancellationToken);

        Assert.Equal(1432, image.Width);
        Assert.Equal(812, image.Height);
        Assert.Equal(1432 * 812 * 3, image.Rgb.Length);
    }

    [Fact]
    public async Task Missing_empty_directory_and_text_files_are_refused_with_the_file_named()
    {
        using var directory = new TempDirectory();
        var empty = directory.File("empty.jpg");
        await File.WriteAllBytesAsync(empty, [], TestContext.Current.CancellationToken);
        var text = directory.File("notes.jpg");
        await File.WriteAllTextAsync(text, "this is not an image\n", TestContext.Current.CancellationToken);
        var decoder = new FfmpegImageDecoder();

        var missing = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(directory.File("absent.png"), TestContext.Current.CancellationToken));
        Assert.Contains("absent.png", missing.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Reason, StringComparison.Ordinal);

        var emptyError = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(empty, TestContext.Current.CancellationToken));
        Assert.Contains("empty", emptyError.Reason, StringComparison.Ordinal);

        var folder = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(directory.Path, TestContext.Current.CancellationToken));
        Assert.Contains("directory", folder.Reason, StringComparison.Ordinal);

        var notImage = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(text, TestContext.Current.CancellationToken));
        Assert.Equal(text, notImage.Path);
        Assert.Contains("Invalid data", notImage.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_and_corrupted_jpegs_are_refused_rather_than_hashed()
    {
        using var directory = new TempDirectory();
        var bytes = await File.ReadAllBytesAsync(Bridge, TestContext.Current.CancellationToken);
        var truncated = directory.File("truncated.jpg");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 10)], TestContext.Current.CancellationToken);
        var headerOnly = directory.File("header-only.jpg");
        await File.WriteAllBytesAsync(headerOnly, bytes[..600], TestContext.Current.CancellationToken);
        var hasher = new ImageHasher();

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => hasher.HashFileAsync(truncated, TestContext.Current.CancellationToken));
        Assert.Contains("truncated.jpg", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ImageDecodeException>(() => hasher.HashFileAsync(headerOnly, TestContext.Current.CancellationToken));

        // The hasher is still fine afterwards: one bad file does not poison the next.
        var result = await hasher.HashFileAsync(Bridge, TestContext.Current.CancellationToken);
        Assert.Equal(100, result.Quality);
    }

    [Fact]
    public async Task Images_over_the_pixel_limit_are_refused_before_their_pixels_are_read()
    {
        var decoder = new FfmpegImageDecoder(new FfmpegDecoderOptions { MaxPixels = 100_000 });

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(Bridge, TestContext.Current.CancellationToken));

        Assert.Contains("more than the limit of 100,000", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decode_that_outlives_its_time_limit_is_killed_and_reported()
    {
        var decoder = new FfmpegImageDecoder(new FfmpegDecoderOptions { Timeout = TimeSpan.FromTicks(1) });

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(Bridge, TestContext.Current.CancellationToken));

        Assert.Contains("longer than the limit", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_ffmpeg_is_reported_with_how_to_install_it()
    {
        var decoder = new FfmpegImageDecoder(new FfmpegDecoderOptions { FfmpegPath = "/nonexistent/ffmpeg" });

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(Bridge, TestContext.Current.CancellationToken));

        Assert.Contains("scripts/setup.sh", error.Reason, StringComparison.Ordinal);
    }
}
