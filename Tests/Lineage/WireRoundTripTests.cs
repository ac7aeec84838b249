using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Text.Json;
using Lineage.Grains.Intake;
using Lineage.Runtime;
using Lineage.Runtime.Cluster.Serialization;

namespace Lineage.Tests.Domain;

/// <summary>Everything the lineage grains exchange crosses the cluster's wire codec unchanged: every record of the contract and every
/// parameter and result type of every grain interface, filled with values that differ from their defaults.</summary>
public sealed class WireRoundTripTests
{
    private static readonly Assembly Contract = typeof(Sighting).Assembly;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly MethodInfo RoundTripMethod = typeof(WireRoundTripTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static TheoryData<string> ExchangedTypes()
    {
        var records = Contract.GetExportedTypes().Where(t => t.IsClass && t.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null);
        var interfaces = Contract.GetExportedTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t));
        var signatures = interfaces
            .SelectMany(i => i.GetMethods())
            .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType.IsGenericType ? m.ReturnType.GetGenericArguments()[0] : typeof(void)))
            .Where(t => t != typeof(void));
        var data = new TheoryData<string>();
        foreach (var type in records.Concat(signatures).Distinct().OrderBy(t => t.ToString(), StringComparer.Ordinal))
        {
            data.Add(type.AssemblyQualifiedName!);
        }

        return data;
    }

    [Fact]
    public void The_contract_has_records_and_grain_interfaces_to_check() =>
        Assert.True(ExchangedTypes().Count > 25, $"only {ExchangedTypes().Count} types found in {Contract.GetName().Name}");

    [Theory]
    [MemberData(nameof(ExchangedTypes))]
    public void A_value_crosses_the_wire_unchanged(string typeName)
    {
        var type = Type.GetType(typeName, throwOnError: true)!;
        var value = Sample(type, 1, depth: 0);

        var copy = RoundTripMethod.MakeGenericMethod(type).Invoke(null, [value]);

        Assert.NotNull(copy);
        Assert.Equal(JsonSerializer.Serialize(value, type, Json), JsonSerializer.Serialize(copy, type, Json));
        if (value is not IEnumerable and not null && type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null
            && type.GetProperties().All(p => !typeof(IEnumerable).IsAssignableFrom(p.PropertyType) || p.PropertyType == typeof(string)))
        {
            // Records without collections compare by value: the copy must be equal, not merely print the same.
            Assert.Equal(value, copy);
        }
    }

    private static T RoundTrip<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        WireCodec<T>.Write(ref writer, value);
        writer.Flush();
        var reader = new WireReader(buffer.WrittenSpan, grainFactory: null);
        var copy = WireCodec<T>.Read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return copy;
    }

    /// <summary>A value of <paramref name="type"/> unlike its default: strings with non-ASCII text, times with an offset, enums at their
    /// last member, collections of two, records built through their widest constructor.</summary>
    private static object? Sample(Type type, int seed, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Sample(underlying, seed, depth);
        }

        if (type == typeof(string))
        {
            return $"twitter/é✓-{seed}";
        }

        if (type == typeof(int))
        {
            return 40 + seed;
        }

        if (type == typeof(long))
        {
            return 5_000_000_000L + seed;
        }

        if (type == typeof(double))
        {
            return 0.25 + seed;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(ulong))
        {
            // High bits set: a hash word must not lose its top bit on the way through JSON.
            return 0xF0E1_D2C3_B4A5_9687UL + (ulong)seed;
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2024, 5, 1, 12, 3, 4, 567, TimeSpan.FromHours(2)).AddTicks(seed);
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromMilliseconds(1_234 + seed);
        }

        if (type == typeof(Guid))
        {
            return new Guid(seed, 2, 3, [4, 5, 6, 7, 8, 9, 10, 11]);
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1);
        }

        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, 2);
            array.SetValue(Sample(element, seed, depth + 1), 0);
            array.SetValue(Sample(element, seed + 1, depth + 1), 1);
            return array;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>) || definition == typeof(List<>)))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Sample(element, seed, depth + 1));
            list.Add(Sample(element, seed + 1, depth + 1));
            return list;
        }

        Assert.True(depth < 6, $"{type} nests too deeply to sample");
        Assert.False(type.IsInterface || type.IsAbstract, $"{type} is an interface or abstract: the wire cannot know what to create");
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{type} has no public constructor");
        var arguments = constructor.GetParameters().Select((p, i) => Sample(p.ParameterType, seed + i, depth + 1)).ToArray();
        return constructor.Invoke(arguments);
    }
}
