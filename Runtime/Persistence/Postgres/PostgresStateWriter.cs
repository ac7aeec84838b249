using System.Data;
using Lineage.Runtime.Persistence.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace Lineage.Runtime.Persistence.Postgres;

/// <summary>The PostgreSQL half of group commit: one dedicated connection that sends a whole batch of version-checked writes as one
/// <see cref="NpgsqlBatch"/> inside one transaction.</summary>
/// <remarks>
/// <para>A batch costs two round trips whatever its size: BEGIN plus every statement in one, COMMIT in the other (Npgsql sends the
/// statements back to back and reads the replies together, and auto-prepares the four statement shapes). A version check and its
/// write are one statement (<c>UPDATE ... WHERE version = $expected</c>, or <c>INSERT ... ON CONFLICT DO NOTHING</c> when nothing is
/// expected), so a refused operation changes nothing; only a batch with refusals pays a third round trip, to read the versions it
/// found.</para>
/// <para>A refused operation reports the version stored when its batch ran; if a later operation of the same batch changed the same
/// record, that is the later version (two writers of one record in one batch only happens with a duplicate activation).</para>
/// <para>Used only by the commit loop, one batch at a time.</para>
/// </remarks>
internal sealed class PostgresStateWriter : IStateBatchExecutor, IAsyncDisposable
{
    private const string InsertWriteSql = """
        INSERT INTO lineage_grain_state (grain_type, grain_key, state_name, version, payload, updated_at)
        VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT DO NOTHING
        """;

    private const string InsertClearSql = """
        INSERT INTO lineage_grain_state (grain_type, grain_key, state_name, version, payload, updated_at)
        VALUES ($1, $2, $3, 1, NULL, $4) ON CONFLICT DO NOTHING
        """;

    private const string UpdateWriteSql = """
        UPDATE lineage_grain_state SET version = version + 1, payload = $4, updated_at = $5
        WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $6
        """;

    private const string UpdateClearSql = """
        UPDATE lineage_grain_state SET version = version + 1, payload = NULL, updated_at = $4
        WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $5
        """;

    private const string SelectVersionSql = "SELECT version FROM lineage_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly Action<Exception> _connectionReplaced;
    private readonly NpgsqlBatch _batch = new();
    private readonly CommandPool _insertWrites = new(InsertWriteSql, hasPayload: true, hasExpected: false);
    private readonly CommandPool _insertClears = new(InsertClearSql, hasPayload: false, hasExpected: false);
    private readonly CommandPool _updateWrites = new(UpdateWriteSql, hasPayload: true, hasExpected: true);
    private readonly CommandPool _updateClears = new(UpdateClearSql, hasPayload: false, hasExpected: true);
    private readonly List<int> _refused = [];
    private NpgsqlConnection? _connection;

    /// <param name="dataSource">The migrated database; the writer keeps one of its connections for itself.</param>
    /// <param name="timeProvider">Clock for <c>updated_at</c>.</param>
    /// <param name="connectionReplaced">Told when a failure made the writer drop its connection.</param>
    public PostgresStateWriter(NpgsqlDataSource dataSource, TimeProvider timeProvider, Action<Exception> connectionReplaced)
    {
        _dataSource = dataSource;
        _timeProvider = timeProvider;
        _connectionReplaced = connectionReplaced;
    }

    public async ValueTask ExecuteBatchAsync(IReadOnlyList<StateOperation> batch)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        _batch.BatchCommands.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            _batch.BatchCommands.Add(Bind(batch[i], now));
        }

        NpgsqlTransaction? transaction = null;
        try
        {
            var connection = _connection ??= await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            _batch.Connection = connection;
            _batch.Transaction = transaction;
            await _batch.ExecuteNonQueryAsync().ConfigureAwait(false);

            _refused.Clear();
            for (var i = 0; i < batch.Count; i++)
            {
                if (_batch.BatchCommands[i].RecordsAffected == 1)
                {
                    batch[i].SetApplied(batch[i].ExpectedVersion + 1);
                }
                else
                {
                    _refused.Add(i);
                }
            }

            if (_refused.Count > 0)
            {
                await ReportRefusedAsync(connection, transaction, batch).ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await AbandonAsync(transaction, exception).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            // Payloads belong to callers who may reuse them once released; the pooled parameters must not keep them alive.
            _insertWrites.Release();
            _insertClears.Release();
            _updateWrites.Release();
            _updateClears.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _batch.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    private NpgsqlBatchCommand Bind(StateOperation operation, DateTime now)
    {
        var pool = (operation.ExpectedVersion == 0, operation.IsClear) switch
        {
            (true, false) => _insertWrites,
            (true, true) => _insertClears,
            (false, false) => _updateWrites,
            (false, true) => _updateClears,
        };
        return pool.Rent(operation, now);
    }

    private async Task ReportRefusedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StateOperation> batch)
    {
        // Read in the writer's own transaction, after its statements: each SELECT sees what the refused statement was up against.
        await using var lookups = new NpgsqlBatch(connection, transaction);
        foreach (var index in _refused)
        {
            var lookup = new NpgsqlBatchCommand(SelectVersionSql);
            lookup.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batch[index].GrainId.Type, NpgsqlDbType = NpgsqlDbType.Text });
            lookup.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batch[index].GrainId.Key, NpgsqlDbType = NpgsqlDbType.Text });
            lookup.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batch[index].StateName, NpgsqlDbType = NpgsqlDbType.Text });
            lookups.BatchCommands.Add(lookup);
        }

        await using var reader = await lookups.ExecuteReaderAsync().ConfigureAwait(false);
        foreach (var index in _refused)
        {
            var stored = await reader.ReadAsync().ConfigureAwait(false) ? reader.GetInt64(0) : 0;
            batch[index].SetRefused(stored);
            await reader.NextResultAsync().ConfigureAwait(false);
        }
    }

    private async Task AbandonAsync(NpgsqlTransaction? transaction, Exception failure)
    {
        var connection = _connection;
        if (connection is null)
        {
            return;
        }

        // A statement error leaves the connection healthy with its transaction aborted; a network failure breaks it.
        if (connection.FullState == ConnectionState.Open)
        {
            try
            {
                if (transaction is not null)
                {
                    await transaction.RollbackAsync().ConfigureAwait(false);
                }

                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                failure = exception;
            }
        }

        // A connection that is broken or could not even roll back is not trusted again; the next batch opens a new one.
        _connection = null;
        await connection.DisposeAsync().ConfigureAwait(false);
        _connectionReplaced(failure);
    }

    /// <summary>Reusable batch commands of one statement shape, with typed parameters so that binding neither boxes nor allocates.</summary>
    private sealed class CommandPool(string sql, bool hasPayload, bool hasExpected)
    {
        private readonly List<Entry> _entries = [];
        private int _used;

        public NpgsqlBatchCommand Rent(StateOperation operation, DateTime now)
        {
            if (_used == _entries.Count)
            {
                _entries.Add(new Entry(sql, hasPayload, hasExpected));
            }

            var entry = _entries[_used++];
            entry.Type.TypedValue = operation.GrainId.Type;
            entry.Key.TypedValue = operation.GrainId.Key;
            entry.Name.TypedValue = operation.StateName;
            entry.Now.TypedValue = now;
            if (entry.Payload is not null)
            {
                entry.Payload.TypedValue = operation.Payload;
            }

            if (entry.Expected is not null)
            {
                entry.Expected.TypedValue = operation.ExpectedVersion;
            }

            return entry.Command;
        }

        public void Release()
        {
            for (var i = 0; i < _used; i++)
            {
                if (_entries[i].Payload is { } payload)
                {
                    payload.TypedValue = default;
                }
            }

            _used = 0;
        }

        private sealed class Entry
        {
            public Entry(string sql, bool hasPayload, bool hasExpected)
            {
                Command = new NpgsqlBatchCommand(sql);
                Type = Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                Key = Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                Name = Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                Payload = hasPayload ? Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea }) : null;
                Now = Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz });
                Expected = hasExpected ? Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint }) : null;
            }

            public NpgsqlBatchCommand Command { get; }

            public NpgsqlParameter<string> Type { get; }

            public NpgsqlParameter<string> Key { get; }

            public NpgsqlParameter<string> Name { get; }

            public NpgsqlParameter<ReadOnlyMemory<byte>>? Payload { get; }

            public NpgsqlParameter<DateTime> Now { get; }

            public NpgsqlParameter<long>? Expected { get; }

            private T Add<T>(T parameter)
                where T : NpgsqlParameter
            {
                Command.Parameters.Add(parameter);
                return parameter;
            }
        }
    }
}
