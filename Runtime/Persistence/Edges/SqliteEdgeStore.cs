using System.Data;
using System.Globalization;
using Lineage.Runtime.Persistence.GroupCommit;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Runtime.Persistence.Edges;

/// <summary>The edge store in the grain storage's SQLite file: its own table, its own writer connection and group-commit queue,
/// and pooled read-only connections.</summary>
/// <remarks>Appends from many grains share transactions exactly as state writes do (<see cref="SqliteGrainStorageOptions.MaxBatchSize"/>,
/// <see cref="SqliteGrainStorageOptions.CommitDelay"/> and <see cref="SqliteGrainStorageOptions.Synchronous"/> apply), and each
/// caller is released once its transaction has committed. Disposing commits everything already queued.</remarks>
public sealed class SqliteEdgeStore : IEdgeStore, IAsyncDisposable, IDisposable
{
    private readonly SqliteReaderPool<ReadSession> _readers;
    private readonly string _name;
    private readonly SqliteDatabaseFile _file;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SqliteEdgeWriter _writer;
    private readonly GroupCommitQueue _queue;
    private int _disposed;

    /// <summary>Opens (creating if needed) the database described by <paramref name="options"/>, migrates the edge table, and starts committing.</summary>
    /// <param name="name">The store's name, used in logs and messages.</param>
    /// <param name="options">The file and commit settings; normally the grain storage's own, so that both share one file.</param>
    /// <param name="logger">Where opening and failures are reported; none when null.</param>
    /// <param name="timeProvider">Clock for <c>appended_at</c> and the commit delay; the system clock when null.</param>
    /// <exception cref="InvalidOperationException">The database cannot be opened, is not a Lineage database, or is too new.</exception>
    public SqliteEdgeStore(string name, SqliteGrainStorageOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(name);
        _name = name;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _file = new SqliteDatabaseFile(options, $"edge store '{name}'");
        DatabasePath = _file.Path;
        _readers = new SqliteReaderPool<ReadSession>(_file, connection => new ReadSession(connection), $"Edge store '{name}'");

        var connection = _file.OpenWriter(c => SqliteEdgeSchema.Migrate(c, DatabasePath, _timeProvider));
        _writer = new SqliteEdgeWriter(connection, () => _file.OpenWriter(initialize: null), _timeProvider);
        _queue = new GroupCommitQueue(name, _writer, options.MaxBatchSize, options.CommitDelay, _timeProvider, _logger);
        _logger.EdgeStoreOpened(name, DatabasePath, SqliteEdgeSchema.LatestVersion);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Transactions committed so far.</summary>
    internal long CommittedBatches => _queue.CommittedBatches;

    /// <inheritdoc />
    public ValueTask<int> AppendAsync(GrainId grainId, string relation, IReadOnlyList<EdgeRow> rows, CancellationToken cancellationToken)
    {
        EdgeRowCodec.Validate(grainId, relation, rows);
        if (rows.Count == 0)
        {
            return ValueTask.FromResult(0);
        }

        return Added(_queue.WriteAsync(grainId, relation, 0, EdgeRowCodec.Encode(rows), cancellationToken));

        static async ValueTask<int> Added(ValueTask<long> pending) => (int)await pending.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<EdgePage> ReadAsync(GrainId grainId, string relation, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        EdgeRowCodec.Validate(grainId, relation);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _readers.Run(session => session.ReadPage(grainId, relation, afterKey, limit), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(GrainId grainId, string relation, CancellationToken cancellationToken)
    {
        EdgeRowCodec.Validate(grainId, relation);
        return _readers.Run(session => session.Count(grainId, relation), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountGrainsAsync(string grainType, string relation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainType);
        ArgumentException.ThrowIfNullOrEmpty(relation);
        return _readers.Run(session => session.CountGrains(grainType, relation), cancellationToken);
    }

    /// <summary>Commits every append already queued, then closes the database.</summary>
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

        _logger.EdgeStoreClosed(_name, DatabasePath, _queue.CommittedBatches, _queue.CommittedOperations);
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking; for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A read-only connection with its prepared page and count queries; used by one reader at a time.</summary>
    private sealed class ReadSession : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _first;
        private readonly SqliteCommand _after;
        private readonly SqliteCommand _count;

        public ReadSession(SqliteConnection connection)
        {
            _connection = connection;
            _first = Prepare("""
                SELECT edge_key, payload, appended_at FROM grain_edge
                WHERE grain_type = $type AND grain_key = $key AND relation = $relation
                ORDER BY edge_key LIMIT $limit
                """, withCursor: false, withLimit: true);
            _after = Prepare("""
                SELECT edge_key, payload, appended_at FROM grain_edge
                WHERE grain_type = $type AND grain_key = $key AND relation = $relation AND edge_key > $after
                ORDER BY edge_key LIMIT $limit
                """, withCursor: true, withLimit: true);
            _count = Prepare(
                "SELECT count(*) FROM grain_edge WHERE grain_type = $type AND grain_key = $key AND relation = $relation",
                withCursor: false, withLimit: false);
        }

        public EdgePage ReadPage(GrainId grainId, string relation, string? afterKey, int limit)
        {
            var command = afterKey is null ? _first : _after;
            Bind(command, grainId, relation);
            if (afterKey is not null)
            {
                command.Parameters["$after"].Value = afterKey;
            }

            // One row more than asked tells whether another page follows without a second query.
            command.Parameters["$limit"].Value = (long)limit + 1;
            var rows = new List<StoredEdge>(Math.Min(limit, 256));
            var more = false;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (rows.Count == limit)
                    {
                        more = true;
                        break;
                    }

                    rows.Add(new StoredEdge(
                        reader.GetString(0),
                        reader.GetFieldValue<byte[]>(1),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
                }
            }

            return new EdgePage(rows, more ? rows[^1].Key : null);
        }

        public long Count(GrainId grainId, string relation)
        {
            Bind(_count, grainId, relation);
            return Convert.ToInt64(_count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        public long CountGrains(string grainType, string relation)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(DISTINCT grain_key) FROM grain_edge WHERE grain_type = $type AND relation = $relation";
            command.Parameters.AddWithValue("$type", grainType);
            command.Parameters.AddWithValue("$relation", relation);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            _first.Dispose();
            _after.Dispose();
            _count.Dispose();
            _connection.Dispose();
        }

        private static void Bind(SqliteCommand command, GrainId grainId, string relation)
        {
            command.Parameters["$type"].Value = grainId.Type;
            command.Parameters["$key"].Value = grainId.Key;
            command.Parameters["$relation"].Value = relation;
        }

        private SqliteCommand Prepare(string sql, bool withCursor, bool withLimit)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.Add("$type", SqliteType.Text);
            command.Parameters.Add("$key", SqliteType.Text);
            command.Parameters.Add("$relation", SqliteType.Text);
            if (withCursor)
            {
                command.Parameters.Add("$after", SqliteType.Text);
            }

            if (withLimit)
            {
                command.Parameters.Add("$limit", SqliteType.Integer);
            }

            command.Prepare();
            return command;
        }
    }
}
