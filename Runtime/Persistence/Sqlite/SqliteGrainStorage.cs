using System.Data;
using Lineage.Runtime.Persistence.GroupCommit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Runtime.Persistence.Sqlite;

/// <summary>Grain storage in one embedded SQLite file: WAL journal, group commit on a dedicated writer connection, concurrent readers.</summary>
/// <remarks>
/// <para>The database is opened, and its schema created or migrated, by the constructor; a file that cannot be opened, is not a
/// Lineage database, or has a newer schema than this build knows is refused with an exception naming the file.</para>
/// <para>Writes and clears are queued and committed in shared transactions (see <see cref="SqliteGrainStorageOptions.MaxBatchSize"/>)
/// and acknowledged only once committed. Reads use their own connections and see committed data only. Disposing drains every write
/// already queued, commits it, and closes the file; later calls fail with <see cref="ObjectDisposedException"/>.</para>
/// <para>A payload passed to <see cref="WriteAsync"/> is referenced, not copied, until the write completes: the caller must not
/// change it meanwhile.</para>
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, IAsyncDisposable, IDisposable
{
    private readonly SqliteReaderPool<ReadSession> _readers;
    private readonly string _name;
    private readonly SqliteDatabaseFile _file;
    private readonly ILogger _logger;
    private readonly SqliteStateWriter _writer;
    private readonly GroupCommitQueue _queue;
    private int _disposed;

    /// <summary>Opens (creating if needed) and migrates the database described by <paramref name="options"/>, and starts committing.</summary>
    /// <param name="name">The storage's registered name, used in logs and messages.</param>
    /// <param name="options">Where the file lives and how commits are made.</param>
    /// <param name="logger">Where opening, migrations and failures are reported; none when null.</param>
    /// <param name="timeProvider">Clock for timestamps and the commit delay; the system clock when null.</param>
    /// <exception cref="InvalidOperationException">The database cannot be opened, is not a Lineage database, or is too new.</exception>
    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(name);
        _name = name;
        _logger = logger ?? NullLogger.Instance;
        timeProvider ??= TimeProvider.System;

        _file = new SqliteDatabaseFile(options, $"grain storage '{name}'");
        DatabasePath = _file.Path;
        _readers = new SqliteReaderPool<ReadSession>(_file, connection => new ReadSession(connection), $"Grain storage '{name}'");

        var schemaVersion = 0;
        var connection = _file.OpenWriter(c => schemaVersion = SqliteSchema.Migrate(c, DatabasePath, timeProvider, _logger, _name));
        _writer = new SqliteStateWriter(connection, () => _file.OpenWriter(initialize: null), timeProvider);
        _queue = new GroupCommitQueue(name, _writer, options.MaxBatchSize, options.CommitDelay, timeProvider, _logger);
        _logger.SqliteOpened(name, DatabasePath, schemaVersion, _file.SynchronousMode);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Transactions committed so far.</summary>
    internal long CommittedBatches => _queue.CommittedBatches;

    /// <summary>Writes and clears whose transaction committed (applied or refused) so far.</summary>
    internal long CommittedOperations => _queue.CommittedOperations;

    /// <inheritdoc />
    public ValueTask<GrainStateRecord> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        Validate(grainId, stateName, 0);
        return _readers.Run(session => session.Read(grainId, stateName), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> WriteAsync(GrainId grainId, string stateName, long expectedVersion, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Validate(grainId, stateName, expectedVersion);
        return _queue.WriteAsync(grainId, stateName, expectedVersion, payload, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> ClearAsync(GrainId grainId, string stateName, long expectedVersion, CancellationToken cancellationToken)
    {
        Validate(grainId, stateName, expectedVersion);
        return _queue.ClearAsync(grainId, stateName, expectedVersion, cancellationToken);
    }

    /// <summary>Commits every write already queued, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        var first = Interlocked.Exchange(ref _disposed, 1) == 0;
        _readers.Close();
        await _queue.DisposeAsync().ConfigureAwait(false);
        if (!first)
        {
            return;
        }

        _writer.Dispose();
        _logger.SqliteClosed(_name, DatabasePath, _queue.CommittedBatches, _queue.CommittedOperations);
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking until queued writes are committed; for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void Validate(GrainId grainId, string stateName, long expectedVersion)
    {
        if (grainId.Type is null || grainId.Key is null)
        {
            throw new ArgumentException("The grain id has no type or key.", nameof(grainId));
        }

        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
    }

    /// <summary>A read-only connection with its prepared lookup; used by one reader at a time.</summary>
    private sealed class ReadSession : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _select;
        private readonly SqliteParameter _type;
        private readonly SqliteParameter _key;
        private readonly SqliteParameter _name;

        public ReadSession(SqliteConnection connection)
        {
            _connection = connection;
            _select = connection.CreateCommand();
            _select.CommandText = "SELECT version, payload FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name";
            _type = _select.Parameters.Add("$type", SqliteType.Text);
            _key = _select.Parameters.Add("$key", SqliteType.Text);
            _name = _select.Parameters.Add("$name", SqliteType.Text);
            _select.Prepare();
        }

        public GrainStateRecord Read(GrainId grainId, string stateName)
        {
            _type.Value = grainId.Type;
            _key.Value = grainId.Key;
            _name.Value = stateName;
            using var reader = _select.ExecuteReader(CommandBehavior.SingleRow);
            if (!reader.Read())
            {
                return GrainStateRecord.Missing;
            }

            var version = reader.GetInt64(0);
            return reader.IsDBNull(1)
                ? new GrainStateRecord(version, false, ReadOnlyMemory<byte>.Empty)
                : new GrainStateRecord(version, true, reader.GetFieldValue<byte[]>(1));
        }

        public void Dispose()
        {
            _select.Dispose();
            _connection.Dispose();
        }
    }
}
