using Lineage.Dashboard.Reports;
using Lineage.Runtime.Statistics;
using Microsoft.Extensions.Options;

namespace Lineage.Dashboard.Sampling;

/// <summary>Samples this silo's cumulative counters once per <see cref="DashboardOptions.SampleInterval"/> while someone watches,
/// keeping a ring of per-interval points for the charts and the last <see cref="DashboardOptions.RateWindow"/> of readings for rates
/// and percentiles.</summary>
/// <remarks>Nothing runs until the first <see cref="Touch"/>, and sampling stops <see cref="DashboardOptions.WatchTimeout"/> after the
/// last one: an unwatched silo pays only for the counters the runtime keeps anyway.</remarks>
public sealed class StatisticsSampler : IDisposable
{
    private static readonly string OwnGrainClass = typeof(SiloStatisticsGrain).FullName!;

    private readonly Func<RuntimeStatisticsSnapshot> _readRuntime;
    private readonly Func<IntakeStatisticsSnapshot> _readIntake;
    private readonly Func<ProcessSample> _readProcess;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly SeriesPoint?[] _history;
    private readonly List<Reading> _recent = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _historyNext;
    private int _historyCount;
    private long _lastWatchedTicks = long.MinValue;
    private int _running;

    /// <summary>Samples the silo's runtime statistics, its intake counters and the process.</summary>
    public StatisticsSampler(SiloStatistics statistics, IntakeStatistics intake, IOptions<DashboardOptions> options, TimeProvider time)
        : this(statistics.Snapshot, intake.Snapshot, ProcessSample.Read, options.Value, time)
    {
    }

    internal StatisticsSampler(
        Func<RuntimeStatisticsSnapshot> readRuntime,
        Func<IntakeStatisticsSnapshot> readIntake,
        Func<ProcessSample> readProcess,
        DashboardOptions options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _readRuntime = readRuntime;
        _readIntake = readIntake;
        _readProcess = readProcess;
        _options = options;
        _time = time;
        _history = new SeriesPoint?[Math.Max(1, (int)(options.History / options.SampleInterval))];
    }

    /// <summary>Whether the sampling loop is running.</summary>
    public bool IsSampling => Volatile.Read(ref _running) == 1;

    /// <summary>Chart points held.</summary>
    public int HistoryCount
    {
        get
        {
            lock (_lock)
            {
                return _historyCount;
            }
        }
    }

    /// <summary>Someone is watching: start sampling if it is not running, and keep it running for another
    /// <see cref="DashboardOptions.WatchTimeout"/>.</summary>
    public void Touch()
    {
        Volatile.Write(ref _lastWatchedTicks, _time.GetUtcNow().UtcTicks);
        if (!_stopping.IsCancellationRequested && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            Sample();
            _ = RunAsync();
        }
    }

    /// <summary>Takes one reading and, if the previous one is recent enough, records the interval between them as a chart point.</summary>
    internal void Sample()
    {
        var reading = Read();
        lock (_lock)
        {
            var previous = _recent.Count > 0 ? _recent[^1] : null;

            // After a pause in sampling the gap is not one interval: start a new run of points instead of drawing one across it.
            if (previous is not null && reading.At - previous.At > _options.SampleInterval * 2.5)
            {
                _recent.Clear();
                previous = null;
            }

            if (previous is not null && reading.At > previous.At)
            {
                _history[_historyNext] = Point(previous, reading);
                _historyNext = (_historyNext + 1) % _history.Length;
                _historyCount = Math.Min(_historyCount + 1, _history.Length);
            }

            _recent.Add(reading);

            // Keep the newest reading at or before the window's start, so the window is always fully covered.
            var windowStart = reading.At - _options.RateWindow;
            while (_recent.Count > 2 && _recent[1].At <= windowStart)
            {
                _recent.RemoveAt(0);
            }
        }
    }

    /// <summary>This silo's figures now: totals read fresh, rates over the window ending now.</summary>
    internal SiloReport Report(string silo, SiloReportQuery query, IReadOnlyList<LogEntry> log)
    {
        var now = Read();
        Reading? start;
        var series = new List<SeriesPoint>();
        lock (_lock)
        {
            // A window much shorter than one interval (the reading the first request just took) would turn one call into a
            // rate of thousands per second: until a real interval has passed, rates are unknown.
            start = _recent.Count > 0 && now.At - _recent[0].At >= _options.SampleInterval / 2 ? _recent[0] : null;
            if (query.IncludeSeries)
            {
                for (var i = 0; i < _historyCount; i++)
                {
                    var point = _history[(_historyNext - _historyCount + i + _history.Length) % _history.Length]!;
                    if (query.SeriesSince is not { } since || point.At > since)
                    {
                        series.Add(point);
                    }
                }
            }
        }

        var seconds = start is null ? 0 : (now.At - start.At).TotalSeconds;
        var before = start is null ? null : Index(start.Runtime);
        var grainTypes = new List<GrainTypeReport>();
        long calls = 0, errors = 0, windowCalls = 0, windowErrors = 0;
        var windowLatency = new long[LatencyHistogram.BucketCount];
        foreach (var type in now.Runtime.GrainTypes)
        {
            var methods = new List<MethodReport>();
            long typeCalls = 0, typeErrors = 0, typeWindowCalls = 0, typeWindowErrors = 0;
            var typeLatency = new long[LatencyHistogram.BucketCount];
            foreach (var method in type.Methods)
            {
                var old = before?.GetValueOrDefault((type.GrainType, method.Interface, method.Method));
                var methodWindowCalls = start is null ? 0 : CounterMath.Delta(old?.Calls ?? 0, method.Calls);
                var methodWindowErrors = start is null ? 0 : CounterMath.Delta(old?.Errors ?? 0, method.Errors);
                var methodLatency = start is null ? new long[LatencyHistogram.BucketCount] : CounterMath.Delta(old?.LatencyMicroseconds.Histogram, method.LatencyMicroseconds.Histogram);
                methods.Add(new MethodReport(
                    method.Interface, method.Method, method.Calls, method.Errors,
                    start is null ? null : CounterMath.Rate(methodWindowCalls, seconds),
                    start is null ? null : CounterMath.Rate(methodWindowErrors, seconds),
                    CounterMath.Trim(methodLatency),
                    CounterMath.Trim(method.LatencyMicroseconds.Histogram),
                    method.LatencyMicroseconds.SumMicroseconds));
                typeCalls += method.Calls;
                typeErrors += method.Errors;
                typeWindowCalls += methodWindowCalls;
                typeWindowErrors += methodWindowErrors;
                CounterMath.Add(typeLatency, methodLatency);
            }

            grainTypes.Add(new GrainTypeReport(
                type.GrainType, type.GrainClass, type.Activations, typeCalls, typeErrors,
                start is null ? null : CounterMath.Rate(typeWindowCalls, seconds),
                start is null ? null : CounterMath.Rate(typeWindowErrors, seconds),
                CounterMath.Trim(typeLatency),
                methods));
            calls += typeCalls;
            errors += typeErrors;
            windowCalls += typeWindowCalls;
            windowErrors += typeWindowErrors;
            CounterMath.Add(windowLatency, typeLatency);
        }

        double? cpu = start is null ? null : CpuPercent(start, now);
        var intake = new IntakeFigures(
            now.Intake,
            start is null ? null : CounterMath.Rate(CounterMath.Delta(start.Intake.Accepted, now.Intake.Accepted), seconds),
            start is null ? null : CounterMath.Rate(CounterMath.Delta(start.Intake.Refused, now.Intake.Refused), seconds));
        return new SiloReport(
            silo, Environment.MachineName, now.At, now.Runtime.StartedAt, now.Runtime.Activations, Environment.ProcessorCount, cpu,
            now.Process.WorkingSetBytes, now.Process.GcHeapBytes, Math.Round(seconds, 3), calls, errors,
            start is null ? null : CounterMath.Rate(windowCalls, seconds),
            start is null ? null : CounterMath.Rate(windowErrors, seconds),
            CounterMath.Trim(windowLatency), grainTypes, series, log, intake);
    }

    /// <summary>Stops sampling for good.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(_options.SampleInterval, _time);
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                if (_time.GetUtcNow().UtcTicks - Volatile.Read(ref _lastWatchedTicks) > _options.WatchTimeout.Ticks)
                {
                    Volatile.Write(ref _running, 0);

                    // A Touch between the check and the write saw the loop running and did not start one: take over again.
                    if (_time.GetUtcNow().UtcTicks - Volatile.Read(ref _lastWatchedTicks) > _options.WatchTimeout.Ticks
                        || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                    {
                        return;
                    }
                }

                Sample();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Volatile.Write(ref _running, 0);
        }
        catch (ObjectDisposedException)
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private Reading Read()
    {
        var runtime = _readRuntime();

        // The dashboard's own calls are not the cluster's load; counting them would make every poll change the numbers it shows.
        if (runtime.GrainTypes.Any(t => t.GrainClass == OwnGrainClass))
        {
            runtime = runtime with { GrainTypes = runtime.GrainTypes.Where(t => t.GrainClass != OwnGrainClass).ToList() };
        }

        return new Reading(_time.GetUtcNow(), runtime, _readIntake(), _readProcess());
    }

    private SeriesPoint Point(Reading previous, Reading current)
    {
        var seconds = (current.At - previous.At).TotalSeconds;
        var (callsBefore, errorsBefore, latencyBefore) = Totals(previous.Runtime);
        var (calls, errors, latency) = Totals(current.Runtime);
        return new SeriesPoint(
            current.At,
            CounterMath.Rate(CounterMath.Delta(callsBefore, calls), seconds) ?? 0,
            CounterMath.Rate(CounterMath.Delta(errorsBefore, errors), seconds) ?? 0,
            CounterMath.Trim(CounterMath.Delta(latencyBefore, latency)),
            CpuPercent(previous, current),
            current.Process.WorkingSetBytes,
            current.Process.GcHeapBytes,
            CounterMath.Rate(CounterMath.Delta(previous.Intake.Accepted, current.Intake.Accepted), seconds) ?? 0,
            CounterMath.Rate(CounterMath.Delta(previous.Intake.Refused, current.Intake.Refused), seconds) ?? 0);
    }

    private static double CpuPercent(Reading previous, Reading current)
    {
        var wall = (current.At - previous.At).TotalSeconds * Environment.ProcessorCount;
        var used = (current.Process.CpuTime - previous.Process.CpuTime).TotalSeconds;
        return wall <= 0 || used < 0 ? 0 : Math.Round(Math.Min(100, used / wall * 100), 1);
    }

    private static (long Calls, long Errors, long[] Latency) Totals(RuntimeStatisticsSnapshot snapshot)
    {
        long calls = 0, errors = 0;
        var latency = new long[LatencyHistogram.BucketCount];
        foreach (var type in snapshot.GrainTypes)
        {
            foreach (var method in type.Methods)
            {
                calls += method.Calls;
                errors += method.Errors;
                CounterMath.Add(latency, method.LatencyMicroseconds.Histogram);
            }
        }

        return (calls, errors, latency);
    }

    private static Dictionary<(string, string, string), MethodCallStatistics> Index(RuntimeStatisticsSnapshot snapshot)
    {
        var index = new Dictionary<(string, string, string), MethodCallStatistics>();
        foreach (var type in snapshot.GrainTypes)
        {
            foreach (var method in type.Methods)
            {
                index[(type.GrainType, method.Interface, method.Method)] = method;
            }
        }

        return index;
    }

    private sealed record Reading(DateTimeOffset At, RuntimeStatisticsSnapshot Runtime, IntakeStatisticsSnapshot Intake, ProcessSample Process);
}
