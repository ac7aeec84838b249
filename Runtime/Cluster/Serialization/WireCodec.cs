using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Cluster.Serialization;

/// <summary>Writes and reads one value of <typeparamref name="T"/> on the wire; used by generated request classes.</summary>
/// <remarks>
/// Primitives, strings, <see cref="Guid"/>, times and byte arrays have compact fixed encodings. A grain interface travels as its
/// grain id and comes back as a proxy on the receiving side. Everything else (records, arrays, lists, enums) is written as
/// length-prefixed UTF-8 JSON with <see cref="JsonSerializerDefaults.Web"/> settings, which is why grain interfaces exchange
/// immutable records that System.Text.Json round-trips. The choice is made once per type, when it is first used.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "The generic static class is the per-type cache: the encoding is chosen once per T, not per call.")]
public static class WireCodec<T>
{
    private static readonly WriteValue<T> Writer;
    private static readonly ReadValue<T> Reader;

    static WireCodec()
    {
        (Writer, Reader) = WireCodecs.Select<T>();
    }

    /// <summary>Writes <paramref name="value"/>.</summary>
    public static void Write(ref WireWriter writer, T value) => Writer(ref writer, value);

    /// <summary>Reads a value written by <see cref="Write"/>.</summary>
    public static T Read(ref WireReader reader) => Reader(ref reader);
}

/// <summary>Writes one value.</summary>
internal delegate void WriteValue<in T>(ref WireWriter writer, T value);

/// <summary>Reads one value.</summary>
internal delegate T ReadValue<out T>(ref WireReader reader);

/// <summary>The encodings behind <see cref="WireCodec{T}"/>.</summary>
internal static class WireCodecs
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static (WriteValue<T> Write, ReadValue<T> Read) Select<T>()
    {
        var type = typeof(T);
        if (type == typeof(NoResult))
        {
            return Cast<NoResult, T>(static (ref WireWriter _, NoResult _) => { }, static (ref WireReader _) => default);
        }

        if (type == typeof(int))
        {
            return Cast<int, T>(static (ref WireWriter w, int v) => w.WriteInt32(v), static (ref WireReader r) => r.ReadInt32());
        }

        if (type == typeof(long))
        {
            return Cast<long, T>(static (ref WireWriter w, long v) => w.WriteInt64(v), static (ref WireReader r) => r.ReadInt64());
        }

        if (type == typeof(bool))
        {
            return Cast<bool, T>(static (ref WireWriter w, bool v) => w.WriteBoolean(v), static (ref WireReader r) => r.ReadBoolean());
        }

        if (type == typeof(double))
        {
            return Cast<double, T>(static (ref WireWriter w, double v) => w.WriteDouble(v), static (ref WireReader r) => r.ReadDouble());
        }

        if (type == typeof(string))
        {
            return Cast<string?, T>(static (ref WireWriter w, string? v) => w.WriteString(v), static (ref WireReader r) => r.ReadString());
        }

        if (type == typeof(byte[]))
        {
            return Cast<byte[]?, T>(static (ref WireWriter w, byte[]? v) => w.WriteBytes(v), static (ref WireReader r) => r.ReadBytes());
        }

        if (type == typeof(Guid))
        {
            return Cast<Guid, T>(
                static (ref WireWriter w, Guid v) =>
                {
                    Span<byte> bytes = stackalloc byte[16];
                    v.TryWriteBytes(bytes);
                    w.WriteRaw(bytes);
                },
                static (ref WireReader r) => new Guid(r.ReadRaw(16)));
        }

        if (type == typeof(DateTimeOffset))
        {
            return Cast<DateTimeOffset, T>(
                static (ref WireWriter w, DateTimeOffset v) =>
                {
                    w.WriteInt64(v.Ticks);
                    w.WriteInt32((int)v.Offset.TotalMinutes);
                },
                static (ref WireReader r) => ReadDateTimeOffset(ref r));
        }

        if (type == typeof(TimeSpan))
        {
            return Cast<TimeSpan, T>(static (ref WireWriter w, TimeSpan v) => w.WriteInt64(v.Ticks), static (ref WireReader r) => new TimeSpan(r.ReadInt64()));
        }

        if (type.IsInterface && typeof(IGrain).IsAssignableFrom(type))
        {
            return (static (ref WireWriter w, T v) => WriteGrainReference(ref w, v), static (ref WireReader r) => ReadGrainReference<T>(ref r));
        }

        return (static (ref WireWriter w, T v) => WriteJson(ref w, v), static (ref WireReader r) => ReadJson<T>(ref r));
    }

    private static (WriteValue<T> Write, ReadValue<T> Read) Cast<TKnown, T>(WriteValue<TKnown> write, ReadValue<TKnown> read) =>
        ((WriteValue<T>)(object)write, (ReadValue<T>)(object)read);

    private static DateTimeOffset ReadDateTimeOffset(ref WireReader reader)
    {
        var ticks = reader.ReadInt64();
        var offsetMinutes = reader.ReadInt32();
        try
        {
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentException exception)
        {
            throw new WireFormatException($"A DateTimeOffset of {ticks} ticks at offset {offsetMinutes} min is out of range.", exception);
        }
    }

    private static void WriteGrainReference<T>(ref WireWriter writer, T value)
    {
        if (value is null)
        {
            writer.WriteBoolean(false);
            return;
        }

        var id = value is GrainReference reference
            ? reference.GrainId
            : throw new InvalidOperationException($"Only grain references made by a grain factory can be sent; got a {value.GetType().FullName}.");
        writer.WriteBoolean(true);
        writer.WriteString(id.Type);
        writer.WriteString(id.Key);
    }

    private static T ReadGrainReference<T>(ref WireReader reader)
    {
        if (!reader.ReadBoolean())
        {
            return default!;
        }

        var id = new GrainId(reader.ReadRequiredString(), reader.ReadRequiredString());
        var factory = reader.GrainFactory as IGrainReferenceFactory
            ?? throw new WireFormatException($"A grain reference ({id}) arrived where no grain factory can make proxies.");
        return (T)factory.GetGrain(typeof(T), id);
    }

    private static void WriteJson<T>(ref WireWriter writer, T value)
    {
        if (value is null)
        {
            writer.WriteInt32(-1);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(json, value, JsonOptions);
        }

        writer.WriteInt32(buffer.WrittenCount);
        writer.WriteRaw(buffer.WrittenSpan);
    }

    private static T ReadJson<T>(ref WireReader reader)
    {
        var length = reader.ReadInt32();
        if (length == -1)
        {
            return default!;
        }

        if (length < 0 || length > reader.Remaining)
        {
            throw new WireFormatException($"A JSON value of {length} bytes does not fit the {reader.Remaining} bytes left in the message.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(reader.ReadRaw(length), JsonOptions)!;
        }
        catch (JsonException exception)
        {
            throw new WireFormatException($"A {typeof(T).Name} could not be read from its JSON: {exception.Message}", exception);
        }
    }
}

/// <summary>Makes a proxy for a grain id and interface type; implemented by the silo's and the client's grain factories.</summary>
internal interface IGrainReferenceFactory
{
    object GetGrain(Type interfaceType, GrainId grainId);
}
