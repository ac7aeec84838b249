namespace Lineage.Runtime.Invocation;

/// <summary>Scheduling options of one grain interface method, read from its attributes at compile time.</summary>
[Flags]
public enum MethodOptions
{
    /// <summary>An ordinary call: one turn at a time unless the grain class is reentrant.</summary>
    None = 0,

    /// <summary>May interleave with other read-only calls (<see cref="ReadOnlyAttribute"/>).</summary>
    ReadOnly = 1,

    /// <summary>May interleave with any call (<see cref="AlwaysInterleaveAttribute"/>).</summary>
    AlwaysInterleave = 2,

    /// <summary>The caller does not wait for the result (<see cref="OneWayAttribute"/>).</summary>
    OneWay = 4,
}
