using Lineage.Runtime.Persistence.GroupCommit;
using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Lineage.Runtime.Persistence.Edges;

/// <summary>The edge store in a PostgreSQL database shared by the silos of a cluster: its own table next to the grain state, group commit
/// on a dedicated connection, reads on pooled ones.</summary>
/// <remarks>Appends from many grains share transactions exactly as the PostgreSQL grain storage's writes do
/// (<see cref="PostgresGrainStorageOptions.MaxBatchSize"/> and <see cref="PostgresGrainStorageOptions.CommitDelay"/> apply), and each
/// caller is released once its transaction has committed. The table is created or migrated by the constructor. Disposing commits
/// everything already queued.</remarks>
public sealed class PostgresEdgeStore : IEdgeStore, IAsyncDisposable, IDisposable
{
    private const string FirstPageSql = """
        SELECT edge_key, payload, appended_at FROM lineage_grain_edge
        WHERE grain_type = $1 AND grain_key = $2 AND relation = $3
        ORDER BY edge_key LIMIT $4
        """;

    private const string NextPageSql = """
        SELECT edge_key, payload, appended_at FROM lineage_grain_edge
        WHERE grain_type = $1 AND grain_key = $2 AND relation = $3 AND edge_key > $5
        ORDER BY edge_key LIMIT $4
        """;

    private const string CountSql = "SELECT count(*) FROM lineage_grain_edge WHERE grain_type = $1 AND grain_key = $2 AND relation = $3";

    private const string CountGrainsSql = "SELECT count(DISTINCT grain_key) FROM lineage_grain_edge WHERE grain_type = $1 AND relation = $2";

    private readonly string _name;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresEdgeWriter _writer;
    private readonly GroupCommitQueue _queue;
    private int _disposed;

    /// <summary>Connects to the database described by <paramref name="options"/>, creates or migrates the edge table, and starts committing.</summary>
    /// <param name="name">The store's name, used in logs and messages.</param>
    /// <param name="options">Which database and how commits are made; normally the grain storage's own, so that both share one database.</param>
    /// <param name="logger">Where opening, migrations and failures are reported; none when null.</param>
    /// <param name="timeProvider">Clock for <c>appended_at</c> and the commit delay; the system clock when null.</param>
    /// <exception cref="InvalidOperationException">The database cannot be reached or its edge schema is newer than this build knows.</exception>
    public PostgresEdgeStore(string name, PostgresGrainStorageOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(name);
        _name = name;
        _logger = logger ?? NullLogger.Instance;
        timeProvider ??= TimeProvider.System;
        _dataSource = PostgresGrainStorage.CreateDataSource(options.ConnectionString);
        Database = PostgresSchema.Describe(options.ConnectionString);

        int schemaVersion;
        try
        {
            // Opened synchronously by design (a host resolves it at start-up); this blocks only then, on no context.
            schemaVersion = PostgresEdgeSchema.MigrateAsync(_dataSource, name, timeProvider, _logger, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            _dataSource.Dispose();
            throw new InvalidOperationException($"Cannot open the PostgreSQL database '{Database}' of edge store '{name}': {exception.Message}", exception);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }

        _writer = new PostgresEdgeWriter(_dataSource, timeProvider, exception => _logger.PostgresEdgeWriterReplaced(exception, name, Database));
        _queue = new GroupCommitQueue(name, _writer, options.MaxBatchSize, options.CommitDelay, timeProvider, _logger);
        _logger.PostgresEdgeStoreOpened(name, Database, schemaVersion);
    }

    /// <summary>The database, as host:port/database.</summary>
    public string Database { get; }

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
    public async ValueTask<EdgePage> ReadAsync(GrainId grainId, string relation, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        EdgeRowCodec.Validate(grainId, relation);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = Command(afterKey is null ? FirstPageSql : NextPageSql, grainId, relation);

        // One row more than asked tells whether another page follows without a second query.
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)limit + 1, NpgsqlDbType = NpgsqlDbType.Bigint });
        if (afterKey is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = afterKey, NpgsqlDbType = NpgsqlDbType.Text });
        }

        var rows = new List<StoredEdge>(Math.Min(limit, 256));
        var more = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (rows.Count == limit)
                {
                    more = true;
                    break;
                }

                rows.Add(new StoredEdge(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }
        }

        return new EdgePage(rows, more ? rows[^1].Key : null);
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(GrainId grainId, string relation, CancellationToken cancellationToken)
    {
        EdgeRowCodec.Validate(grainId, relation);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = Command(CountSql, grainId, relation);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask<long> CountGrainsAsync(string grainType, string relation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainType);
        ArgumentException.ThrowIfNullOrEmpty(relation);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = _dataSource.CreateCommand(CountGrainsSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relation, NpgsqlDbType = NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Commits every append already queued, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        var first = Interlocked.Exchange(ref _disposed, 1) == 0;
        await _queue.DisposeAsync().ConfigureAwait(false);
        if (!first)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _logger.PostgresEdgeStoreClosed(_name, Database, _queue.CommittedBatches, _queue.CommittedOperations);
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking until queued appends are committed; for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private NpgsqlCommand Command(string sql, GrainId grainId, string relation)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Type, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Key, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relation, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }
}
