using System.Buffers.Binary;
using System.ComponentModel;
using System.Text;

namespace Lineage.Runtime.Cluster.Serialization;

/// <summary>Reads what <see cref="WireWriter"/> wrote, from one whole message body; used by generated request classes.</summary>
/// <remarks>Every read checks the bounds: a truncated or lying body throws <see cref="WireFormatException"/>, never reads past the
/// message.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    /// <summary>Reads <paramref name="buffer"/> from its start; <paramref name="grainFactory"/> turns grain references back into proxies.</summary>
    public WireReader(ReadOnlySpan<byte> buffer, IGrainFactory? grainFactory)
    {
        _buffer = buffer;
        _position = 0;
        GrainFactory = grainFactory;
    }

    /// <summary>Makes proxies for grain references found in the message; null where none are expected.</summary>
    public IGrainFactory? GrainFactory { get; }

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a <see cref="bool"/>.</summary>
    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var other => throw new WireFormatException($"A boolean must be 0 or 1, not {other}."),
    };

    /// <summary>Reads a 16-bit integer.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads a double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    public string? ReadString()
    {
        var length = ReadLength();
        if (length < 0)
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(Take(length));
        }
        catch (DecoderFallbackException exception)
        {
            throw new WireFormatException("A string is not valid UTF-8.", exception);
        }
    }

    /// <summary>Reads a length-prefixed string that must not be null.</summary>
    public string ReadRequiredString() => ReadString() ?? throw new WireFormatException("A required string is null.");

    /// <summary>Reads length-prefixed bytes.</summary>
    public byte[]? ReadBytes()
    {
        var length = ReadLength();
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>Reads <paramref name="count"/> bytes without a length prefix.</summary>
    public ReadOnlySpan<byte> ReadRaw(int count) => Take(count);

    private int ReadLength()
    {
        var length = ReadInt32();
        if (length < -1 || length > Remaining)
        {
            throw new WireFormatException($"A length of {length} does not fit the {Remaining} bytes left in the message.");
        }

        return length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _buffer.Length - _position)
        {
            throw new WireFormatException($"The message ends {count - (_buffer.Length - _position)} bytes too early.");
        }

        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
