using System.Data;
using System.Runtime.InteropServices;
using Lineage.Runtime.Persistence.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace Lineage.Runtime.Persistence.Edges;

/// <summary>The PostgreSQL half of the edge store's group commit: a whole batch of appends sent as one <see cref="NpgsqlBatch"/> in one
/// transaction on a dedicated connection.</summary>
/// <remarks>
/// <para>Each queued operation is one <see cref="IEdgeStore.AppendAsync"/> call and becomes one statement that inserts all its rows from
/// two arrays (<c>unnest</c>) with <c>ON CONFLICT DO NOTHING</c>, so the rows it reports affected are exactly the new ones. A batch costs
/// two round trips whatever its size: BEGIN plus every statement, then COMMIT. Appends never conflict, so none is refused.</para>
/// <para>Used only by the commit loop, one batch at a time.</para>
/// </remarks>
internal sealed class PostgresEdgeWriter(NpgsqlDataSource dataSource, TimeProvider timeProvider, Action<Exception> connectionReplaced)
    : IStateBatchExecutor, IAsyncDisposable
{
    private const string InsertSql = """
        INSERT INTO lineage_grain_edge (grain_type, grain_key, relation, edge_key, payload, appended_at)
        SELECT $1, $2, $3, row.edge_key, row.payload, $6 FROM unnest($4::text[], $5::bytea[]) AS row (edge_key, payload)
        ON CONFLICT DO NOTHING
        """;

    private readonly NpgsqlBatch _batch = new();
    private readonly List<Statement> _statements = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private NpgsqlConnection? _connection;

    public async ValueTask ExecuteBatchAsync(IReadOnlyList<StateOperation> batch)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        _batch.BatchCommands.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            if (_statements.Count == i)
            {
                _statements.Add(new Statement());
            }

            _batch.BatchCommands.Add(Bind(_statements[i], batch[i], now));
        }

        NpgsqlTransaction? transaction = null;
        try
        {
            var connection = _connection ??= await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            _batch.Connection = connection;
            _batch.Transaction = transaction;
            await _batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].SetApplied(_batch.BatchCommands[i].RecordsAffected);
            }
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

            // Payloads belong to callers, who may reuse them once released; the pooled parameters must not keep them alive.
            for (var i = 0; i < batch.Count; i++)
            {
                _statements[i].Keys.TypedValue = [];
                _statements[i].Payloads.TypedValue = [];
            }
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

    private NpgsqlBatchCommand Bind(Statement statement, StateOperation operation, DateTime now)
    {
        // Rows repeating a key within one append count once and keep the first payload; the statement alone would keep whichever
        // row PostgreSQL inserted first, so repeats are dropped here, where the order is known.
        var keys = new List<string>();
        var payloads = new List<byte[]>();
        _seen.Clear();
        var offset = 0;
        while (EdgeRowCodec.TryRead(operation.Payload, ref offset, out var key, out var payload))
        {
            if (_seen.Add(key))
            {
                keys.Add(key);
                payloads.Add(AsArray(payload));
            }
        }

        statement.Type.TypedValue = operation.GrainId.Type;
        statement.Key.TypedValue = operation.GrainId.Key;
        statement.Relation.TypedValue = operation.StateName;
        statement.Keys.TypedValue = [.. keys];
        statement.Payloads.TypedValue = [.. payloads];
        statement.Now.TypedValue = now;
        return statement.Command;
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

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
        connectionReplaced(failure);
    }

    /// <summary>A reusable insert with typed parameters.</summary>
    private sealed class Statement
    {
        public Statement()
        {
            Command = new NpgsqlBatchCommand(InsertSql);
            Type = Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
            Key = Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
            Relation = Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
            Keys = Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            Payloads = Add(new NpgsqlParameter<byte[][]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            Now = Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        public NpgsqlBatchCommand Command { get; }

        public NpgsqlParameter<string> Type { get; }

        public NpgsqlParameter<string> Key { get; }

        public NpgsqlParameter<string> Relation { get; }

        public NpgsqlParameter<string[]> Keys { get; }

        public NpgsqlParameter<byte[][]> Payloads { get; }

        public NpgsqlParameter<DateTime> Now { get; }

        private T Add<T>(T parameter)
            where T : NpgsqlParameter
        {
            Command.Parameters.Add(parameter);
            return parameter;
        }
    }
}
