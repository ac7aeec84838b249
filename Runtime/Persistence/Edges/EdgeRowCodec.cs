using System.Buffers.Binary;
using System.Text;

namespace Lineage.Runtime.Persistence.Edges;

/// <summary>Packs the rows of one append into a single buffer, so that an append rides the group-commit queue as one operation.</summary>
/// <remarks>Layout per row: key length (int32 LE), key as UTF-8, payload length (int32 LE), payload.</remarks>
internal static class EdgeRowCodec
{
    /// <summary>Refuses a grain id without type or key and an empty relation name, the same way for every provider.</summary>
    public static void Validate(GrainId grainId, string relation)
    {
        if (grainId.Type is null || grainId.Key is null)
        {
            throw new ArgumentException("The grain id has no type or key.", nameof(grainId));
        }

        ArgumentException.ThrowIfNullOrEmpty(relation);
    }

    /// <summary>Refuses what <see cref="Validate(GrainId, string)"/> refuses, and rows or row keys that are null.</summary>
    public static void Validate(GrainId grainId, string relation, IReadOnlyList<EdgeRow> rows)
    {
        Validate(grainId, relation);
        ArgumentNullException.ThrowIfNull(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(rows[i].Key, nameof(rows));
        }
    }

    public static byte[] Encode(IReadOnlyList<EdgeRow> rows)
    {
        var size = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            size += 8 + Encoding.UTF8.GetByteCount(rows[i].Key) + rows[i].Payload.Length;
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        for (var i = 0; i < rows.Count; i++)
        {
            var keyLength = Encoding.UTF8.GetBytes(rows[i].Key, span[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(span, keyLength);
            span = span[(4 + keyLength)..];
            var payload = rows[i].Payload.Span;
            BinaryPrimitives.WriteInt32LittleEndian(span, payload.Length);
            payload.CopyTo(span[4..]);
            span = span[(4 + payload.Length)..];
        }

        return buffer;
    }

    /// <summary>Reads the next row from <paramref name="buffer"/> at <paramref name="offset"/>, advancing it; false at the end.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> buffer, ref int offset, out string key, out ReadOnlyMemory<byte> payload)
    {
        if (offset >= buffer.Length)
        {
            key = string.Empty;
            payload = default;
            return false;
        }

        var span = buffer.Span[offset..];
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span);
        key = Encoding.UTF8.GetString(span.Slice(4, keyLength));
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[(4 + keyLength)..]);
        payload = buffer.Slice(offset + 8 + keyLength, payloadLength);
        offset += 8 + keyLength + payloadLength;
        return true;
    }
}
