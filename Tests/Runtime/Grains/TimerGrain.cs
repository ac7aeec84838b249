using Lineage.Runtime;
using Lineage.Runtime.Timers;

namespace Lineage.Tests.Runtime.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartTicking(TimeSpan period);

    Task StopTicking();

    Task<int> GetTicks();

    Task<int> GetOverlaps();
}

public sealed class TimerGrain : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;
    private int _inTurn;
    private int _overlaps;

    public Task StartTicking(TimeSpan period)
    {
        _timer = RegisterGrainTimer(OnTick, period, period);
        return Task.CompletedTask;
    }

    public Task StopTicking()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task<int> GetTicks() => Task.FromResult(_ticks);

    public Task<int> GetOverlaps() => Task.FromResult(_overlaps);

    private async Task OnTick(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _inTurn, 1) != 0)
        {
            _overlaps++;
        }

        await Task.Yield();
        _ticks++;
        Volatile.Write(ref _inTurn, 0);
    }
}
