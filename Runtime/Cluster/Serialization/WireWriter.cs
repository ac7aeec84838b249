using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Text;

namespace Lineage.Runtime.Cluster.Serialization;

/// <summary>Writes a message body straight into a connection's output buffer; used by generated request classes.</summary>
/// <remarks>Numbers are fixed-width little-endian; strings and byte arrays are an <see cref="int"/> length (−1 for null) followed by
/// their bytes (UTF-8 for strings). Call <see cref="Flush"/> once at the end so the buffered bytes are committed.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct WireWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Starts writing at the current end of <paramref name="output"/>.</summary>
    public WireWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan();
        _buffered = 0;
        Written = 0;
    }

    /// <summary>Bytes written so far, committed or not.</summary>
    public long Written { get; private set; }


    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>Writes a <see cref="bool"/> as one byte.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes a 16-bit integer.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes a double.</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    /// <summary>Writes a length-prefixed UTF-8 string; null is length −1.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        // Short strings (grain keys, names) are encoded in place against their worst-case size; long ones are measured first.
        if (value.Length <= 256)
        {
            var span = Reserve(4 + (value.Length * 3));
            var length = Encoding.UTF8.GetBytes(value, span[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(span, length);
            Unreserve(span.Length - 4 - length);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteInt32(byteCount);
        Encoding.UTF8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>Writes length-prefixed bytes; null is length −1.</summary>
    public void WriteBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes bytes without a length prefix.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> value)
    {
        if (value.Length <= 4096)
        {
            value.CopyTo(Reserve(value.Length));
            return;
        }

        Flush();
        _output.Write(value);
        Written += value.Length;
        _span = _output.GetSpan();
    }

    /// <summary>Commits everything buffered to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _span = _span[_buffered..];
            _buffered = 0;
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_span.Length - _buffered < count)
        {
            Flush();
            _span = _output.GetSpan(count);
        }

        var reserved = _span.Slice(_buffered, count);
        _buffered += count;
        Written += count;
        return reserved;
    }

    private void Unreserve(int count)
    {
        _buffered -= count;
        Written -= count;
    }
}
