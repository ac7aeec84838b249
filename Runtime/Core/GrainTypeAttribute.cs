namespace Lineage.Runtime;

/// <summary>Names a grain class's type in grain ids and storage; the default is the class name, lower-cased, without a trailing "Grain".</summary>
/// <remarks>Stored state is keyed by this name, so renaming a class keeps its data only if this attribute keeps the name.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
