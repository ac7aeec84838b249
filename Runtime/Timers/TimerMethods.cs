using Lineage.Runtime.Invocation;

namespace Lineage.Runtime;

/// <summary>The pseudo-interface under which timer ticks are counted in statistics.</summary>
internal static class TimerMethods
{
    private static readonly RequestReader NotReadable = static (ref Cluster.Serialization.WireReader _) =>
        throw new NotSupportedException("Timer ticks are never read off the wire.");

    public static readonly MethodDescriptor Tick = new("Tick", 0, MethodOptions.None, NotReadable);

    public static readonly MethodDescriptor InterleavedTick = new("InterleavedTick", 1, MethodOptions.AlwaysInterleave, NotReadable);

    public static readonly GrainInterfaceDescriptor Interface =
        new(typeof(TimerMethods), [Tick, InterleavedTick], static (_, _) => throw new InvalidOperationException("Timers have no proxy."));
}
