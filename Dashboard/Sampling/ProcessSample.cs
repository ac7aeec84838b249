namespace Lineage.Dashboard.Sampling;

/// <summary>The process's CPU time and memory at one moment.</summary>
/// <param name="CpuTime">CPU time used by the process since it started, all cores together.</param>
/// <param name="WorkingSetBytes">Physical memory mapped by the process.</param>
/// <param name="GcHeapBytes">Managed heap in use.</param>
internal readonly record struct ProcessSample(TimeSpan CpuTime, long WorkingSetBytes, long GcHeapBytes)
{
    /// <summary>Reads the current process; a few system calls, no allocation worth mentioning.</summary>
    public static ProcessSample Read() => new(Environment.CpuUsage.TotalTime, Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false));
}
