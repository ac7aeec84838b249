using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Lineage.Media.Decoding;

/// <summary>Decodes the first frame of an image file (JPEG, PNG, WebP, GIF, BMP and whatever else ffmpeg reads) to RGB by running
/// ffmpeg as a child process.</summary>
/// <remarks>
/// <para>ffmpeg writes one binary PPM to its standard output (<c>-f image2pipe -vcodec ppm -pix_fmt rgb24</c>): the header carries the
/// size, so one process both sizes and decodes the image. The input is opened through the <c>file:</c> protocol so that a name can
/// never be taken for a URL or an option.</para>
/// <para>Every failure is an <see cref="ImageDecodeException"/> naming the file: missing or empty files are refused before ffmpeg runs;
/// ffmpeg's own complaints (it logs at error level even when it recovers from a truncated JPEG, so any such message counts as failure)
/// become the reason; images larger than <see cref="FfmpegDecoderOptions.MaxPixels"/> are refused on their header; and a file that
/// takes longer than <see cref="FfmpegDecoderOptions.Timeout"/> has its ffmpeg killed.</para>
/// </remarks>
public sealed class FfmpegImageDecoder(FfmpegDecoderOptions? options = null)
{
    private const int MaxErrorChars = 2000;

    private readonly FfmpegDecoderOptions _options = options ?? new FfmpegDecoderOptions();

    /// <summary>Decodes <paramref name="path"/>; the caller disposes the result to return its pixel buffer.</summary>
    /// <exception cref="ImageDecodeException">The file cannot be decoded; the message says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DecodedImage> DecodeAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        CheckFile(path, fullPath);

        using var process = Start(path, fullPath);
        var errors = ReadErrorsAsync(process.StandardError);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        DecodedImage? image = null;
        try
        {
            image = await ReadImageAsync(path, process.StandardOutput.BaseStream, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var messages = (await errors).Trim();
            if (process.ExitCode != 0 || messages.Length > 0)
            {
                throw new ImageDecodeException(path, Describe(process.ExitCode, messages));
            }

            var decoded = image;
            image = null;
            return decoded;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageDecodeException(path, string.Create(CultureInfo.InvariantCulture,
                $"decoding took longer than the limit of {_options.Timeout.TotalSeconds:0.#} s"));
        }
        catch (EndOfStreamException)
        {
            // ffmpeg stopped writing early; its own message (if it waits for us) says why better than "end of stream" would.
            var messages = await WaitForMessagesAsync(process, errors);
            throw new ImageDecodeException(path, messages.Length > 0
                ? Describe(process.HasExited ? process.ExitCode : 0, messages)
                : "ffmpeg produced no complete image (the file may be truncated or not an image)");
        }
        finally
        {
            image?.Dispose();
            Kill(process);
        }
    }

    private void CheckFile(string path, string fullPath)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ImageDecodeException(path, exception.Message, exception);
        }

        if (Directory.Exists(fullPath))
        {
            throw new ImageDecodeException(path, "it is a directory, not a file");
        }

        if (!info.Exists)
        {
            throw new ImageDecodeException(path, "the file does not exist");
        }

        if (info.Length == 0)
        {
            throw new ImageDecodeException(path, "the file is empty");
        }

        if (info.Length > _options.MaxFileBytes)
        {
            throw new ImageDecodeException(path, string.Create(CultureInfo.InvariantCulture,
                $"the file is {info.Length:N0} bytes, more than the limit of {_options.MaxFileBytes:N0}"));
        }
    }

    private Process Start(string path, string fullPath)
    {
        var start = new ProcessStartInfo(_options.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        // libjpeg's integer IDCT and exact, full-chroma colour conversion: these are what the reference implementations' decoders do,
        // and they matter for near-uniform images, whose DCT coefficients sit close to the median (measured: worst case 24 → 12 bits).
        foreach (var argument in (string[])["-nostdin", "-hide_banner", "-v", "error", "-idct", "int", "-i", "file:" + fullPath,
                     "-frames:v", "1", "-sws_flags", "accurate_rnd+full_chroma_int+full_chroma_inp+bitexact",
                     "-f", "image2pipe", "-vcodec", "ppm", "-pix_fmt", "rgb24", "-"])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start) ?? throw new ImageDecodeException(path, $"'{_options.FfmpegPath}' could not be started");
        }
        catch (Win32Exception exception)
        {
            throw new ImageDecodeException(path,
                $"'{_options.FfmpegPath}' could not be started ({exception.Message}); install Debian's ffmpeg package (scripts/setup.sh does)",
                exception);
        }
    }

    private async Task<DecodedImage> ReadImageAsync(string path, Stream output, CancellationToken cancellationToken)
    {
        var reader = new PpmHeaderReader(output);
        var width = await reader.ReadNumberAsync(expectMagic: true, cancellationToken);
        var height = await reader.ReadNumberAsync(expectMagic: false, cancellationToken);
        var maxValue = await reader.ReadNumberAsync(expectMagic: false, cancellationToken);
        if (width <= 0 || height <= 0 || maxValue != 255)
        {
            throw new ImageDecodeException(path, string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg produced an unexpected image header ({width}×{height}, maximum value {maxValue})"));
        }

        if ((long)width * height > _options.MaxPixels)
        {
            throw new ImageDecodeException(path, string.Create(CultureInfo.InvariantCulture,
                $"the image is {width:N0}×{height:N0} pixels, more than the limit of {_options.MaxPixels:N0}"));
        }

        var length = width * height * 3;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var image = new DecodedImage(buffer, width, height);
        try
        {
            var copied = reader.TakeBuffered(buffer.AsSpan(0, length));
            await output.ReadExactlyAsync(buffer.AsMemory(copied, length - copied), cancellationToken);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadErrorsAsync(StreamReader errors)
    {
        // Read to the end so that ffmpeg never blocks on a full pipe, but keep only the start: that names the problem.
        var text = new StringBuilder();
        var chunk = new char[1024];
        int read;
        while ((read = await errors.ReadAsync(chunk)) > 0)
        {
            if (text.Length < MaxErrorChars)
            {
                text.Append(chunk, 0, Math.Min(read, MaxErrorChars - text.Length));
            }
        }

        return text.ToString();
    }

    private async Task<string> WaitForMessagesAsync(Process process, Task<string> errors)
    {
        using var grace = new CancellationTokenSource(_options.Timeout);
        try
        {
            await process.WaitForExitAsync(grace.Token);
            return (await errors).Trim();
        }
        catch (OperationCanceledException)
        {
            return string.Empty;
        }
    }

    private static string Describe(int exitCode, string messages)
    {
        // ffmpeg prefixes messages with the input's name, which the exception already carries.
        var lines = messages.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.StartsWith("file:", StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
                ? line[(colon + 2)..]
                : line)
            .Distinct(StringComparer.Ordinal)
            .Take(3);
        var text = string.Join("; ", lines);
        return exitCode == 0
            ? $"the file is damaged or truncated (ffmpeg reported: {text})"
            : string.Create(CultureInfo.InvariantCulture, $"ffmpeg exited with code {exitCode}: {(text.Length > 0 ? text : "no message")}");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    /// <summary>Reads the text header of a binary PPM ("P6 width height maxval" and one whitespace byte) and keeps what it read past it.</summary>
    private sealed class PpmHeaderReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64];
        private int _start;
        private int _end;

        public async ValueTask<int> ReadNumberAsync(bool expectMagic, CancellationToken cancellationToken)
        {
            if (expectMagic)
            {
                if (await NextAsync(cancellationToken) != 'P' || await NextAsync(cancellationToken) != '6')
                {
                    throw new EndOfStreamException("ffmpeg's output is not a binary PPM.");
                }
            }

            int c;
            while ((c = await NextAsync(cancellationToken)) is ' ' or '\n' or '\r' or '\t')
            {
            }

            var value = 0;
            while (c is >= '0' and <= '9')
            {
                value = checked((value * 10) + (c - '0'));
                c = await NextAsync(cancellationToken);
            }

            // The single whitespace byte after the last number ends the header; the pixels follow.
            return value;
        }

        public int TakeBuffered(Span<byte> destination)
        {
            var count = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, count).CopyTo(destination);
            _start += count;
            return count;
        }

        private async ValueTask<int> NextAsync(CancellationToken cancellationToken)
        {
            if (_start == _end)
            {
                // Reads a byte at a time here so that nothing of the pixel data is consumed before the buffer for it exists.
                _start = 0;
                _end = await stream.ReadAsync(_buffer.AsMemory(0, 1), cancellationToken);
                if (_end == 0)
                {
                    throw new EndOfStreamException();
                }
            }

            return _buffer[_start++];
        }
    }
}
