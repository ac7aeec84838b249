using System.Buffers;
using Lineage.Runtime.Cluster.Serialization;

namespace Lineage.Tests.Cluster.Wire;

public sealed class WireCodecTests
{
    public sealed record Sighting(string PostId, DateTimeOffset ObservedAt, IReadOnlyList<string> Tags, int? Quality);

    public enum Source
    {
        Crawler,
        Partner,
    }

    [Fact]
    public void Primitives_and_fast_path_types_round_trip_exactly()
    {
        Assert.Equal(int.MinValue, RoundTrip(int.MinValue));
        Assert.Equal(long.MaxValue, RoundTrip(long.MaxValue));
        Assert.True(RoundTrip(true));
        Assert.Equal(double.Epsilon, RoundTrip(double.Epsilon));
        Assert.True(double.IsNaN(RoundTrip(double.NaN)));
        Assert.Equal("ا٣ — ünïcödé 🧵", RoundTrip("ا٣ — ünïcödé 🧵"));
        Assert.Equal(string.Empty, RoundTrip(string.Empty));
        Assert.Null(RoundTrip<string?>(null));
        Assert.Equal(new byte[] { 0, 1, 255 }, RoundTrip(new byte[] { 0, 1, 255 }));
        Assert.Null(RoundTrip<byte[]?>(null));
        var id = Guid.NewGuid();
        Assert.Equal(id, RoundTrip(id));
        Assert.Equal(TimeSpan.FromTicks(-1234567), RoundTrip(TimeSpan.FromTicks(-1234567)));
    }

    [Fact]
    public void A_timestamp_keeps_its_offset_not_just_its_instant()
    {
        var observed = new DateTimeOffset(2015, 3, 4, 5, 6, 7, TimeSpan.FromHours(-5)).AddTicks(1);
        var copy = RoundTrip(observed);
        Assert.Equal(observed, copy);
        Assert.Equal(observed.Offset, copy.Offset);
        Assert.Equal(observed.Ticks, copy.Ticks);
    }

    [Fact]
    public void Records_collections_and_enums_go_through_json_and_come_back_equal()
    {
        var sighting = new Sighting("p1", DateTimeOffset.UnixEpoch.AddHours(1).ToOffset(TimeSpan.FromHours(2)), ["a", "b"], null);
        var copy = RoundTrip(sighting);
        Assert.Equal(sighting.PostId, copy.PostId);
        Assert.Equal(sighting.ObservedAt, copy.ObservedAt);
        Assert.Equal(sighting.ObservedAt.Offset, copy.ObservedAt.Offset);
        Assert.Equal(sighting.Tags, copy.Tags);
        Assert.Null(copy.Quality);
        Assert.Equal(Source.Partner, RoundTrip(Source.Partner));
        Assert.Equal([1L, 2L, 3L], RoundTrip<long[]>([1L, 2L, 3L]));
    }

    [Fact]
    public void Several_values_in_a_row_are_read_back_in_order()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        WireCodec<string>.Write(ref writer, "first");
        WireCodec<long>.Write(ref writer, 42);
        WireCodec<Sighting>.Write(ref writer, new Sighting("p", DateTimeOffset.UnixEpoch, [], 7));
        WireCodec<bool>.Write(ref writer, false);
        writer.Flush();

        var reader = new WireReader(buffer.WrittenSpan, grainFactory: null);
        Assert.Equal("first", WireCodec<string>.Read(ref reader));
        Assert.Equal(42, WireCodec<long>.Read(ref reader));
        Assert.Equal(7, WireCodec<Sighting>.Read(ref reader).Quality);
        Assert.False(WireCodec<bool>.Read(ref reader));
    }

    [Fact]
    public void Truncated_input_is_a_format_error_not_a_crash()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        WireCodec<string>.Write(ref writer, "a string long enough to cut in half");
        writer.Flush();
        var truncated = buffer.WrittenSpan[..(buffer.WrittenCount / 2)].ToArray();

        Assert.Throws<WireFormatException>(() =>
        {
            var reader = new WireReader(truncated, grainFactory: null);
            return WireCodec<string>.Read(ref reader);
        });
    }

    [Fact]
    public void Json_that_does_not_fit_the_type_is_a_format_error_naming_the_type()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        WireCodec<string[]>.Write(ref writer, ["not", "a", "sighting"]);
        writer.Flush();

        var error = Assert.Throws<WireFormatException>(() =>
        {
            var reader = new WireReader(buffer.WrittenSpan.ToArray(), grainFactory: null);
            return WireCodec<Sighting>.Read(ref reader);
        });
        Assert.Contains(nameof(Sighting), error.Message);
    }

    private static T RoundTrip<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        WireCodec<T>.Write(ref writer, value);
        writer.Flush();
        var reader = new WireReader(buffer.WrittenSpan, grainFactory: null);
        return WireCodec<T>.Read(ref reader);
    }
}
