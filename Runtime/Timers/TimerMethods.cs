using Lineage.Runtime.Invocation;

namespace Lineage.Runtime;

/// <summary>The pseudo-interface under which timer ticks are counted in statistics.</summary>
internal static class TimerMethods
{
    public static readonly MethodDescriptor Tick = new("Tick", 0, MethodOptions.None);

    public static readonly MethodDescriptor InterleavedTick = new("InterleavedTick", 1, MethodOptions.AlwaysInterleave);

    public static readonly GrainInterfaceDescriptor Interface =
        new(typeof(TimerMethods), [Tick, InterleavedTick], static (_, _) => throw new InvalidOperationException("Timers have no proxy."));
}
