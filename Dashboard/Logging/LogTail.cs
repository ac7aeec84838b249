using Lineage.Dashboard.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Dashboard.Logging;

/// <summary>A logger provider that keeps this silo's last <see cref="DashboardOptions.LogCapacity"/> entries at
/// <see cref="DashboardOptions.LogLevel"/> or above, for the silo page's live log tail.</summary>
/// <remarks>Below the level nothing is formatted or stored, so the informational logging of a busy silo costs one comparison.</remarks>
public sealed class LogTail : ILoggerProvider
{
    private readonly LogEntry?[] _entries;
    private readonly LogLevel _level;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    /// <summary>Creates the tail with the dashboard's capacity and level.</summary>
    public LogTail(IOptions<DashboardOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Value.Validate();

        _entries = new LogEntry?[options.Value.LogCapacity];
        _level = options.Value.LogLevel;
        _time = time;
    }

    /// <summary>The retained entries, oldest first.</summary>
    public IReadOnlyList<LogEntry> Entries()
    {
        lock (_lock)
        {
            var entries = new LogEntry[_count];
            for (var i = 0; i < _count; i++)
            {
                entries[i] = _entries[(_next - _count + i + _entries.Length) % _entries.Length]!;
            }

            return entries;
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new TailLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_lock)
        {
            _entries[_next] = entry;
            _next = (_next + 1) % _entries.Length;
            _count = Math.Min(_count + 1, _entries.Length);
        }
    }

    private sealed class TailLogger(LogTail tail, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= tail._level && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            tail.Add(new LogEntry(
                tail._time.GetUtcNow(), logLevel.ToString(), category, eventId.Id, message,
                exception is null ? null : exception.GetType().FullName + ": " + exception.Message));
        }
    }
}
