using Lineage.Runtime.Persistence.GroupCommit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Lineage.Runtime.Persistence.Postgres;

/// <summary>Grain storage in a PostgreSQL database shared by the silos of a cluster: group commit on a dedicated connection, reads on
/// pooled ones.</summary>
/// <remarks>
/// <para>Same semantics as the SQLite storage: versions only grow, a clear leaves a tombstone, a stale write or clear is refused with
/// <see cref="InconsistentStateException"/>, and writes are acknowledged only once their transaction has committed.</para>
/// <para>The schema is created or migrated by the constructor; a database that cannot be reached or whose schema is newer than this
/// build knows is refused with an exception naming it (host:port/database). Disposing drains every write already queued, commits
/// it, and closes the connections; later calls fail with <see cref="ObjectDisposedException"/>.</para>
/// <para>A payload passed to <see cref="WriteAsync"/> is referenced, not copied, until the write completes: the caller must not
/// change it meanwhile.</para>
/// </remarks>
public sealed class PostgresGrainStorage : IGrainStorage, IAsyncDisposable, IDisposable
{
    private const string ReadSql = "SELECT version, payload FROM lineage_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3";

    private readonly string _name;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStateWriter _writer;
    private readonly GroupCommitQueue _queue;
    private int _disposed;

    /// <summary>Connects to the database described by <paramref name="options"/>, creates or migrates its schema, and starts committing.</summary>
    /// <param name="name">The storage's registered name, used in logs and messages.</param>
    /// <param name="options">Which database and how commits are made.</param>
    /// <param name="logger">Where opening, migrations and failures are reported; none when null.</param>
    /// <param name="timeProvider">Clock for timestamps and the commit delay; the system clock when null.</param>
    /// <exception cref="InvalidOperationException">The database cannot be reached or its schema is newer than this build knows.</exception>
    public PostgresGrainStorage(string name, PostgresGrainStorageOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(name);
        _name = name;
        _logger = logger ?? NullLogger.Instance;
        timeProvider ??= TimeProvider.System;
        _dataSource = CreateDataSource(options.ConnectionString);
        Database = PostgresSchema.Describe(options.ConnectionString);

        int schemaVersion;
        try
        {
            // Storage is opened synchronously by design (a host resolves it at start-up); this blocks only then, on no context.
            schemaVersion = PostgresSchema.MigrateAsync(_dataSource, $"grain storage '{name}'", timeProvider, _logger, CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            _dataSource.Dispose();
            throw new InvalidOperationException($"Cannot open the PostgreSQL database '{Database}' of grain storage '{name}': {exception.Message}", exception);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }

        _writer = new PostgresStateWriter(_dataSource, timeProvider, exception => _logger.PostgresWriterReplaced(exception, name, Database));
        _queue = new GroupCommitQueue(name, _writer, options.MaxBatchSize, options.CommitDelay, timeProvider, _logger);
        _logger.PostgresOpened(name, Database, schemaVersion);
    }

    /// <summary>The database, as host:port/database.</summary>
    public string Database { get; }

    /// <summary>Transactions committed so far.</summary>
    internal long CommittedBatches => _queue.CommittedBatches;

    /// <summary>Writes and clears whose transaction committed (applied or refused) so far.</summary>
    internal long CommittedOperations => _queue.CommittedOperations;

    /// <inheritdoc />
    public async ValueTask<GrainStateRecord> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        Validate(grainId, stateName, 0);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = _dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Type, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Key, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return GrainStateRecord.Missing;
        }

        var version = reader.GetInt64(0);
        return await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false)
            ? new GrainStateRecord(version, false, ReadOnlyMemory<byte>.Empty)
            : new GrainStateRecord(version, true, reader.GetFieldValue<byte[]>(1));
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

    /// <summary>Commits every write already queued, then closes the connections.</summary>
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
        _logger.PostgresClosed(_name, Database, _queue.CommittedBatches, _queue.CommittedOperations);
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking until queued writes are committed; for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A pooled data source for <paramref name="connectionString"/> that prepares the statements Lineage repeats, unless the
    /// connection string already says how many to prepare.</summary>
    internal static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 16;
            builder.AutoPrepareMinUsages = 2;
        }

        return NpgsqlDataSource.Create(builder);
    }

    private static void Validate(GrainId grainId, string stateName, long expectedVersion)
    {
        if (grainId.Type is null || grainId.Key is null)
        {
            throw new ArgumentException("The grain id has no type or key.", nameof(grainId));
        }

        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
    }
}
