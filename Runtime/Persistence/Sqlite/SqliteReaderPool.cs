using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Lineage.Runtime.Persistence.Sqlite;

/// <summary>Read-only sessions of one database file (a connection with its prepared queries), pooled and used by one read at a time.</summary>
/// <remarks>Reads run inline on the caller's thread: a read of cached pages takes microseconds, less than a thread hop. A session whose
/// read threw is disposed rather than pooled, since its connection may be in any state.</remarks>
internal sealed class SqliteReaderPool<TSession>(SqliteDatabaseFile file, Func<SqliteConnection, TSession> create, string owner)
    where TSession : class, IDisposable
{
    private static readonly int MaxPooled = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly ConcurrentQueue<TSession> _idle = new();
    private int _closed;

    /// <summary>Runs <paramref name="read"/> on a pooled session; fails with <see cref="ObjectDisposedException"/> once closed.</summary>
    public ValueTask<T> Run<T>(Func<TSession, T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        if (Volatile.Read(ref _closed) != 0)
        {
            return ValueTask.FromException<T>(new ObjectDisposedException(owner, $"{owner} is shut down."));
        }

        TSession? session = null;
        try
        {
            session = _idle.TryDequeue(out var pooled) ? pooled : Open();
            var result = read(session);
            Return(session);
            return ValueTask.FromResult(result);
        }
        catch (Exception exception)
        {
            session?.Dispose();
            return ValueTask.FromException<T>(exception);
        }
    }

    /// <summary>Refuses further reads and disposes the idle sessions; a read in flight disposes its session when it ends.</summary>
    public void Close()
    {
        Volatile.Write(ref _closed, 1);
        DisposeIdle();
    }

    private TSession Open()
    {
        var connection = file.OpenReader();
        try
        {
            return create(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(TSession session)
    {
        if (_idle.Count >= MaxPooled)
        {
            session.Dispose();
            return;
        }

        _idle.Enqueue(session);

        // A read that overlapped Close may return its session after the pool was emptied; empty it again.
        if (Volatile.Read(ref _closed) != 0)
        {
            DisposeIdle();
        }
    }

    private void DisposeIdle()
    {
        while (_idle.TryDequeue(out var session))
        {
            session.Dispose();
        }
    }
}
