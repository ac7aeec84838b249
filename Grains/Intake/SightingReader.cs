using System.Globalization;
using System.Text.Json;

namespace Lineage.Grains.Intake;

/// <summary>Reads sighting records (one JSON object each, camelCase fields, unknown fields ignored) with errors that name the field.</summary>
/// <remarks>Hand-rolled on <see cref="Utf8JsonReader"/> rather than a serializer so that a wrong type is reported as "field: expected
/// a string, got a number" instead of a serializer's path message, and so that a record costs its strings and nothing else.</remarks>
public static class SightingReader
{
    /// <summary>Longest record accepted, in bytes.</summary>
    public const int MaxRecordBytes = 64 * 1024;

    /// <summary>Parses one record; exactly one of the result's sighting and error is set.</summary>
    public static SightingParse Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxRecordBytes)
        {
            return SightingParse.Fail($"record: longer than {MaxRecordBytes} bytes");
        }

        try
        {
            return ParseObject(json);
        }
        catch (JsonException exception)
        {
            return SightingParse.Fail($"record: not valid JSON at byte {exception.BytePositionInLine}: {FirstSentence(exception.Message)}");
        }
    }

    /// <summary>Splits a JSON array body into its elements' byte ranges, or explains why it is not an array of objects.</summary>
    public static bool TrySplitArray(ReadOnlyMemory<byte> body, out List<ReadOnlyMemory<byte>> elements, out string? error)
    {
        elements = [];
        error = null;
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                error = "body: expected a JSON array of sighting objects";
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add(body[start..(int)reader.BytesConsumed]);
            }

            return true;
        }
        catch (JsonException exception)
        {
            error = $"body: not valid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}: {FirstSentence(exception.Message)}";
            return false;
        }
    }

    private static SightingParse ParseObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read())
        {
            return SightingParse.Fail("record: empty");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SightingParse.Fail($"record: expected a JSON object, got {Describe(reader.TokenType)}");
        }

        string? platform = null, postId = null, account = null, parent = null, url = null, sha = null, pdq = null, source = null, sourceRef = null;
        DateTimeOffset? observedAt = null;
        int? pdqQuality = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? error = null;
            if (reader.ValueTextEquals("platform"u8))
            {
                platform = ReadString(ref reader, "platform", ref error);
            }
            else if (reader.ValueTextEquals("postId"u8))
            {
                postId = ReadString(ref reader, "postId", ref error);
            }
            else if (reader.ValueTextEquals("account"u8))
            {
                account = ReadString(ref reader, "account", ref error);
            }
            else if (reader.ValueTextEquals("observedAt"u8))
            {
                var text = ReadString(ref reader, "observedAt", ref error);
                if (text is not null)
                {
                    observedAt = ParseTime(text, ref error);
                }
            }
            else if (reader.ValueTextEquals("parentPostId"u8))
            {
                parent = ReadString(ref reader, "parentPostId", ref error);
            }
            else if (reader.ValueTextEquals("url"u8))
            {
                url = ReadString(ref reader, "url", ref error);
            }
            else if (reader.ValueTextEquals("contentSha256"u8))
            {
                sha = ReadString(ref reader, "contentSha256", ref error);
            }
            else if (reader.ValueTextEquals("pdq"u8))
            {
                pdq = ReadString(ref reader, "pdq", ref error);
            }
            else if (reader.ValueTextEquals("pdqQuality"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    pdqQuality = null;
                }
                else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var quality))
                {
                    error = $"pdqQuality: expected an integer 0-100, got {Describe(reader.TokenType)}";
                }
                else
                {
                    pdqQuality = quality;
                }
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                source = ReadString(ref reader, "source", ref error);
            }
            else if (reader.ValueTextEquals("sourceRef"u8))
            {
                sourceRef = ReadString(ref reader, "sourceRef", ref error);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }

            if (error is not null)
            {
                return SightingParse.Fail(error);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return SightingParse.Fail("record: not valid JSON");
        }

        if (reader.Read())
        {
            return SightingParse.Fail("record: more than one JSON value on the line");
        }

        var sourceValue = SightingSource.Crawler;
        if (source is not null && !SightingRules.TryParseSource(source, out sourceValue))
        {
            return SightingParse.Fail($"source: '{Shorten(source)}' is not one of crawler, public-referral, platform, partner, internal");
        }

        if (platform is null || postId is null || account is null || observedAt is null)
        {
            var missing = platform is null ? "platform" : postId is null ? "postId" : account is null ? "account" : "observedAt";
            return SightingParse.Fail(missing + ": required");
        }

        var sighting = new Sighting(platform, postId, account, observedAt.Value, parent, url, sha, pdq, pdqQuality, sourceValue, sourceRef);
        return sighting.Validate() is { } problem ? SightingParse.Fail(problem) : new SightingParse(sighting, null);
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field, ref string? error)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // Checked before decoding so that a huge value costs nothing beyond the bytes already read.
                if (reader.ValueSpan.Length > SightingRules.MaxUrlLength * 2)
                {
                    error = $"{field}: longer than {SightingRules.MaxUrlLength} characters";
                    return null;
                }

                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            default:
                error = $"{field}: expected a string, got {Describe(reader.TokenType)}";
                reader.Skip();
                return null;
        }
    }

    private static DateTimeOffset? ParseTime(string text, ref string? error)
    {
        // ISO-8601 with an explicit offset: a time without one would be read in the server's zone, silently.
        var t = text.IndexOf('T', StringComparison.Ordinal);
        var hasOffset = t > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.AsSpan(t).LastIndexOfAny('+', '-') > 0);
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            error = $"observedAt: '{Shorten(text)}' is not an ISO-8601 time with an offset (e.g. 2024-05-01T12:00:00Z)";
            return null;
        }

        return value;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}

/// <summary>A parsed record: the sighting, or the reason it was refused ("field: reason").</summary>
public readonly record struct SightingParse(Sighting? Sighting, string? Error)
{
    /// <summary>A refusal.</summary>
    public static SightingParse Fail(string error) => new(null, error);
}
