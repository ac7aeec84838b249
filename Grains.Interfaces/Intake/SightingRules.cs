namespace Lineage.Grains.Intake;

/// <summary>What makes a sighting acceptable: required fields, lengths and formats; shared by the HTTP reader and the post grain.</summary>
public static class SightingRules
{
    /// <summary>Longest platform name.</summary>
    public const int MaxPlatformLength = 32;

    /// <summary>Longest post id, account, or source reference.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Longest URL.</summary>
    public const int MaxUrlLength = 4096;

    /// <summary>Length of a SHA-256 or PDQ hash in hex digits.</summary>
    public const int HashHexLength = 64;

    /// <summary>The first problem with <paramref name="sighting"/> as "field: reason", or null when it is valid.</summary>
    public static string? Validate(Sighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        return Platform(sighting.Platform)
            ?? Id("postId", sighting.PostId, required: true)
            ?? Id("account", sighting.Account, required: true)
            ?? Id("parentPostId", sighting.ParentPostId, required: false)
            ?? (sighting.ParentPostId is not null && string.Equals(sighting.ParentPostId, sighting.PostId, StringComparison.Ordinal)
                ? "parentPostId: a post cannot be its own parent"
                : null)
            ?? (sighting.ObservedAt == default ? "observedAt: required" : null)
            ?? (sighting.Url is { Length: > MaxUrlLength } ? $"url: longer than {MaxUrlLength} characters" : null)
            ?? Hash("contentSha256", sighting.ContentSha256)
            ?? Hash("pdq", sighting.Pdq)
            ?? (sighting.PdqQuality is < 0 or > 100 ? "pdqQuality: must be 0-100" : null)
            ?? (sighting.PdqQuality is not null && sighting.Pdq is null ? "pdqQuality: given without pdq" : null)
            ?? (Enum.IsDefined(sighting.Source) ? null : "source: unknown")
            ?? Id("sourceRef", sighting.SourceRef, required: false);
    }

    /// <summary>The wire name of a source ("public-referral").</summary>
    public static string SourceName(SightingSource source) => source switch
    {
        SightingSource.Platform => "platform",
        SightingSource.Partner => "partner",
        SightingSource.Internal => "internal",
        SightingSource.PublicReferral => "public-referral",
        _ => "crawler",
    };

    /// <summary>Parses a wire source name; false when unknown.</summary>
    public static bool TryParseSource(string name, out SightingSource source)
    {
        switch (name)
        {
            case "platform": source = SightingSource.Platform; return true;
            case "partner": source = SightingSource.Partner; return true;
            case "internal": source = SightingSource.Internal; return true;
            case "public-referral": source = SightingSource.PublicReferral; return true;
            case "crawler": source = SightingSource.Crawler; return true;
            default: source = SightingSource.Crawler; return false;
        }
    }

    private static string? Platform(string? platform)
    {
        if (string.IsNullOrEmpty(platform))
        {
            return "platform: required";
        }

        if (platform.Length > MaxPlatformLength)
        {
            return $"platform: longer than {MaxPlatformLength} characters";
        }

        foreach (var c in platform)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return "platform: only lower-case letters, digits, '-', '_' and '.' are allowed";
            }
        }

        return null;
    }

    private static string? Id(string field, string? value, bool required)
    {
        if (value is null)
        {
            return required ? field + ": required" : null;
        }

        if (value.Length == 0 || string.IsNullOrWhiteSpace(value))
        {
            return field + ": empty";
        }

        if (value.Length > MaxIdLength)
        {
            return $"{field}: longer than {MaxIdLength} characters";
        }

        foreach (var c in value)
        {
            // Keys end up in URLs, file names of exports and log lines; control characters would corrupt all three.
            if (char.IsControl(c))
            {
                return field + ": contains a control character";
            }
        }

        return null;
    }

    private static string? Hash(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length != HashHexLength)
        {
            return $"{field}: must be {HashHexLength} hex digits";
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return $"{field}: must be lower-case hex digits";
            }
        }

        return null;
    }
}
