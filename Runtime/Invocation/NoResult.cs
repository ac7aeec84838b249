namespace Lineage.Runtime.Invocation;

/// <summary>The result type of requests for methods that return a plain <see cref="Task"/> or <see cref="ValueTask"/>.</summary>
public readonly struct NoResult;
