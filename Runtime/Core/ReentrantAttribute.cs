namespace Lineage.Runtime;

/// <summary>Lets every request to this grain class interleave with others at await points.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;
