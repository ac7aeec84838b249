using System.Text.Json.Serialization;

namespace Lineage.Grains.Intake;

/// <summary>Who reported a sighting; also the tie-breaker rank between equally early claims (earlier members rank first).</summary>
[JsonConverter(typeof(SightingSourceJsonConverter))]
public enum SightingSource
{
    /// <summary>The platform itself ("platform").</summary>
    Platform = 0,

    /// <summary>A partner organisation's report ("partner").</summary>
    Partner = 1,

    /// <summary>The unit's own staff ("internal").</summary>
    Internal = 2,

    /// <summary>A member of the public's referral ("public-referral"); <see cref="Sighting.SourceRef"/> is the referral id.</summary>
    PublicReferral = 3,

    /// <summary>An automated crawler ("crawler"); the default when a sighting names no source.</summary>
    Crawler = 4,
}
