namespace Lineage.Runtime;

/// <summary>Marks a grain interface method that does not change state: it may interleave with other read-only calls.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;
