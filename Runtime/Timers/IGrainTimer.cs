namespace Lineage.Runtime.Timers;

/// <summary>A timer owned by a grain activation; disposed with it.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Re-arms the timer; <see cref="Timeout.InfiniteTimeSpan"/> as <paramref name="period"/> makes it fire once.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}

/// <summary>How a grain timer fires.</summary>
/// <param name="DueTime">Delay before the first tick.</param>
/// <param name="Period">Interval between ticks; <see cref="Timeout.InfiniteTimeSpan"/> fires once.</param>
/// <param name="Interleave">Whether ticks may interleave with requests (default false: a tick is a turn like any request).</param>
/// <param name="KeepAlive">Whether ticks count as activity that postpones idle collection (default false).</param>
public sealed record GrainTimerCreationOptions(TimeSpan DueTime, TimeSpan Period, bool Interleave = false, bool KeepAlive = false);
