using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lineage.Grains.Intake;

/// <summary>Writes and reads <see cref="SightingSource"/> by its wire name ("public-referral"), as the intake contract spells it.</summary>
public sealed class SightingSourceJsonConverter() : JsonStringEnumConverter<SightingSource>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);
