namespace Lineage.Runtime.Invocation;

/// <summary>What one assembly contributes to the runtime: grain interfaces (with their proxies) and grain classes.</summary>
/// <remarks>Generated once per assembly by the Lineage source generator and found through <see cref="GrainManifestAttribute"/>;
/// reading it is the only reflection the runtime does, and it happens at start-up.</remarks>
public abstract class GrainManifest
{
    /// <summary>Grain interfaces declared in the assembly.</summary>
    public abstract IReadOnlyList<GrainInterfaceDescriptor> Interfaces { get; }

    /// <summary>Grain classes declared in the assembly.</summary>
    public abstract IReadOnlyList<GrainClassDescriptor> GrainClasses { get; }
}

/// <summary>Points the runtime at an assembly's generated <see cref="GrainManifest"/>.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class GrainManifestAttribute(Type manifestType) : Attribute
{
    /// <summary>The generated manifest type; it has a public parameterless constructor.</summary>
    public Type ManifestType { get; } = manifestType;
}
