using System.Globalization;

namespace Lineage.Runtime;

/// <summary>The identity of a grain: its grain type name and its key, both as strings.</summary>
/// <remarks>Guid keys are stored in "N" format and integer keys in invariant decimal, so one grain has one id
/// however its key was spelled by the caller.</remarks>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>Builds the id of a Guid-keyed grain.</summary>
    public static GrainId Create(string type, Guid key) => new(type, key.ToString("N"));

    /// <summary>Builds the id of an integer-keyed grain.</summary>
    public static GrainId Create(string type, long key) => new(type, key.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public override string ToString() => Type + "/" + Key;
}
