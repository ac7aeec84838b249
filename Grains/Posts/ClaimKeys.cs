using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lineage.Grains.Intake;

namespace Lineage.Grains.Posts;

/// <summary>A claim's identity: a digest of every field of the sighting, so that the same report twice is one claim and a report
/// differing in anything (another source, another parent, another time) is another.</summary>
internal static class ClaimKeys
{
    public static string Compute(Sighting sighting)
    {
        // Unit separators keep "a","bc" and "ab","c" apart; absent fields are empty, which no present field can be.
        var canonical = string.Join('\u001f',
            sighting.Platform,
            sighting.PostId,
            sighting.Account,
            sighting.ObservedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            sighting.ParentPostId ?? string.Empty,
            sighting.Url ?? string.Empty,
            sighting.ContentSha256 ?? string.Empty,
            sighting.Pdq ?? string.Empty,
            sighting.PdqQuality?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            SightingRules.SourceName(sighting.Source),
            sighting.SourceRef ?? string.Empty);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), digest);

        // 128 bits are plenty to keep the claims of one post apart and halve the key's size.
        return Convert.ToHexStringLower(digest[..16]);
    }
}
