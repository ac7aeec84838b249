namespace Lineage.Media.Decoding;

/// <summary>An image file could not be decoded: missing, empty, truncated, corrupt, not an image, too large, or too slow.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/> with the reason in words.</summary>
    public ImageDecodeException(string path, string reason, Exception? innerException = null)
        : base($"Cannot decode image '{path}': {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file that failed.</summary>
    public string Path { get; }

    /// <summary>Why, without the file name.</summary>
    public string Reason { get; }
}
