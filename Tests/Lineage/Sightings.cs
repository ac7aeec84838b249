using System.Globalization;
using System.Text.Json;
using Lineage.Grains.Intake;

namespace Lineage.Tests.Domain;

/// <summary>Builds sighting records for tests.</summary>
public static class Sightings
{
    public static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static Sighting At(string postId, string account, int minutes, string? parent = null, string platform = "twitter",
        SightingSource source = SightingSource.Crawler, string? sourceRef = null, string? sha = null) =>
        new(platform, postId, account, T0.AddMinutes(minutes), parent, null, sha, null, null, source, sourceRef);

    public static string Line(Sighting s)
    {
        var fields = new Dictionary<string, object?>
        {
            ["platform"] = s.Platform,
            ["postId"] = s.PostId,
            ["account"] = s.Account,
            ["observedAt"] = s.ObservedAt.ToString("O", CultureInfo.InvariantCulture),
            ["source"] = SightingRules.SourceName(s.Source),
        };
        if (s.ParentPostId is not null)
        {
            fields["parentPostId"] = s.ParentPostId;
        }

        if (s.SourceRef is not null)
        {
            fields["sourceRef"] = s.SourceRef;
        }

        if (s.ContentSha256 is not null)
        {
            fields["contentSha256"] = s.ContentSha256;
        }

        return JsonSerializer.Serialize(fields);
    }
}
