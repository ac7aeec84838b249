namespace Lineage.Runtime;

/// <summary>Marks a grain interface method whose caller does not wait for the grain: the call completes once it is queued.</summary>
/// <remarks>Only valid on methods returning <see cref="Task"/> or <see cref="ValueTask"/>.</remarks>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;
