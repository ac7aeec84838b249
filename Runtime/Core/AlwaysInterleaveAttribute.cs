namespace Lineage.Runtime;

/// <summary>Marks a grain interface method that may run interleaved with any other request to the same activation.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;
