using Lineage.Runtime.Activation;
using Lineage.Runtime.Hosting;

namespace Lineage.Runtime.Timers;

/// <summary>A grain timer: each tick is queued to the activation as a turn; a tick is skipped while the previous one is in flight.</summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly GrainActivation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly GrainTimerCreationOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private ITimer? _timer;
    private TimeSpan _dueTime;
    private TimeSpan _period;
    private int _tickInFlight;

    public GrainTimer(GrainActivation activation, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        _activation = activation;
        _callback = callback;
        _options = options;
        _dueTime = options.DueTime;
        _period = options.Period;
    }

    public void Start() => _timer = _activation.Runtime.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnTimer(), this, _dueTime, _period);

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        _dueTime = dueTime;
        _period = period;
        _timer?.Change(dueTime, period);
    }

    public void Dispose()
    {
        _activation.RemoveTimer(this);
        DisposeCore();
    }

    internal void DisposeCore()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer?.Dispose();
    }

    private void OnTimer()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _tickInFlight, 1) == 1)
        {
            return;
        }

        var tick = new TimerTick(this, _options.Interleave, _options.KeepAlive)
        {
            TargetId = _activation.GrainId,
            SentTimestamp = _activation.Runtime.TimeProvider.GetTimestamp(),
            DeadlineTimestamp = long.MaxValue,
        };
        if (!_activation.TryEnqueue(tick))
        {
            Volatile.Write(ref _tickInFlight, 0);
        }
    }

    internal Task InvokeCallback() => _callback(_disposed.Token);

    internal void OnTickFinished(Exception? exception)
    {
        if (exception is not null && !_disposed.IsCancellationRequested)
        {
            _activation.Runtime.Log.TimerFailed(exception, _activation.GrainId);
        }

        Volatile.Write(ref _tickInFlight, 0);
    }
}
