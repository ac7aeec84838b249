using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Lineage.Runtime.Cluster.Membership;

/// <summary>How the SQL membership tables store the parts of a <see cref="MembershipEntry"/> that are not plain columns, and the
/// checks both apply to rows going in and coming out.</summary>
/// <remarks>Suspicions are a JSON array of <c>{"silo": "host:port@generation", "at": unix milliseconds}</c>: readable by an operator
/// in a SQL shell, and free of separators that a host name could contain. Times are kept to the millisecond.</remarks>
internal static class MembershipColumns
{
    /// <summary>Encodes suspicions as the JSON text stored in the <c>suspicions</c> column.</summary>
    public static string WriteSuspicions(IReadOnlyList<Suspicion> suspicions)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + (suspicions.Count * 64));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var suspicion in suspicions)
            {
                writer.WriteStartObject();
                writer.WriteString("silo", suspicion.Suspecter.ToString());
                writer.WriteNumber("at", suspicion.At.ToUnixTimeMilliseconds());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes the <c>suspicions</c> column of <paramref name="silo"/>'s row.</summary>
    /// <exception cref="InvalidDataException">The column is not what <see cref="WriteSuspicions"/> writes; the message names the row.</exception>
    public static IReadOnlyList<Suspicion> ReadSuspicions(string json, SiloAddress silo)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("expected a JSON array");
            }

            var suspicions = new List<Suspicion>(document.RootElement.GetArrayLength());
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var suspecter = SiloAddress.Parse(element.GetProperty("silo").GetString() ?? throw new FormatException("\"silo\" is null"));
                suspicions.Add(new Suspicion(suspecter, DateTimeOffset.FromUnixTimeMilliseconds(element.GetProperty("at").GetInt64())));
            }

            return suspicions;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"The membership row of silo {silo} has an unreadable suspicions column ({exception.Message}): {json}", exception);
        }
    }

    /// <summary>Checks the <c>status</c> column of <paramref name="silo"/>'s row.</summary>
    /// <exception cref="InvalidDataException">The value is not a <see cref="SiloStatus"/>; the message names the row.</exception>
    public static SiloStatus ReadStatus(long value, SiloAddress silo)
    {
        var status = (SiloStatus)value;
        return value is >= int.MinValue and <= int.MaxValue && Enum.IsDefined(status)
            ? status
            : throw new InvalidDataException($"The membership row of silo {silo} has status {value}, which is not a silo status (1-4).");
    }

    /// <summary>Refuses an entry that cannot be stored faithfully, naming what is wrong, before anything is written.</summary>
    public static void Validate(MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Silo is null || string.IsNullOrEmpty(entry.Silo.Host))
        {
            throw new ArgumentException("The membership entry has no silo address (host).", nameof(entry));
        }

        if (!Enum.IsDefined(entry.Status))
        {
            throw new ArgumentException($"The membership entry of silo {entry.Silo} has status {(int)entry.Status}, which is not a silo status.", nameof(entry));
        }

        if (entry.HostName is null || entry.Suspicions is null)
        {
            throw new ArgumentException($"The membership entry of silo {entry.Silo} has no {(entry.HostName is null ? "host name" : "suspicion list")}.", nameof(entry));
        }

        foreach (var suspicion in entry.Suspicions)
        {
            if (suspicion?.Suspecter is null)
            {
                throw new ArgumentException($"The membership entry of silo {entry.Silo} has a suspicion without a suspecter.", nameof(entry));
            }
        }
    }
}
