using System.Runtime.InteropServices;
using Lineage.Runtime.Persistence.GroupCommit;
using Microsoft.Data.Sqlite;

namespace Lineage.Runtime.Persistence.Sqlite;

/// <summary>The SQLite half of group commit: one dedicated writer connection whose prepared statements apply a batch per transaction.</summary>
/// <remarks>Used only by the commit loop, one batch at a time. A version check and its write are one statement
/// (<c>UPDATE ... WHERE version = $expected</c>, or <c>INSERT ... ON CONFLICT DO NOTHING</c> when nothing is expected), so a refused
/// operation changes nothing and costs one extra lookup to report the stored version.</remarks>
internal sealed class SqliteStateWriter : IStateBatchExecutor, IDisposable
{
    private readonly Func<SqliteConnection> _openConnection;
    private readonly TimeProvider _timeProvider;
    private Statements? _statements;

    /// <param name="connection">An open, configured connection, already migrated.</param>
    /// <param name="openConnection">Opens a replacement when a failed transaction leaves the connection unusable.</param>
    /// <param name="timeProvider">Clock for <c>updated_at</c>.</param>
    public SqliteStateWriter(SqliteConnection connection, Func<SqliteConnection> openConnection, TimeProvider timeProvider)
    {
        _openConnection = openConnection;
        _timeProvider = timeProvider;
        _statements = new Statements(connection);
    }

    public ValueTask ExecuteBatchAsync(IReadOnlyList<StateOperation> batch)
    {
        // Microsoft.Data.Sqlite is synchronous underneath, so the loop's thread does the work; nothing else waits on it.
        var statements = _statements ??= new Statements(_openConnection());

        // One timestamp per transaction, bound once: parameter values persist across executions, and it saves boxing per write.
        object now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        statements.InsertNow.Value = now;
        statements.UpdateNow.Value = now;

        // IMMEDIATE takes the write lock up front, so a busy file fails the batch at its start rather than halfway through.
        statements.Begin.ExecuteNonQuery();
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                Apply(statements, batch[i]);
            }

            statements.Commit.ExecuteNonQuery();
        }
        catch
        {
            Abandon(statements);
            throw;
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _statements?.Dispose();
        _statements = null;
    }

    private static void Apply(Statements statements, StateOperation operation)
    {
        var payload = operation.IsClear ? DBNull.Value : (object)AsArray(operation.Payload);
        var expected = operation.ExpectedVersion;
        int changed;
        if (expected == 0)
        {
            statements.InsertType.Value = operation.GrainId.Type;
            statements.InsertKey.Value = operation.GrainId.Key;
            statements.InsertName.Value = operation.StateName;
            statements.InsertPayload.Value = payload;
            changed = statements.Insert.ExecuteNonQuery();
        }
        else
        {
            statements.UpdateType.Value = operation.GrainId.Type;
            statements.UpdateKey.Value = operation.GrainId.Key;
            statements.UpdateName.Value = operation.StateName;
            statements.UpdatePayload.Value = payload;
            statements.UpdateExpected.Value = expected;
            changed = statements.Update.ExecuteNonQuery();
        }

        if (changed == 1)
        {
            operation.SetApplied(expected + 1);
            return;
        }

        statements.SelectType.Value = operation.GrainId.Type;
        statements.SelectKey.Value = operation.GrainId.Key;
        statements.SelectName.Value = operation.StateName;
        operation.SetRefused(statements.Select.ExecuteScalar() is long stored ? stored : 0);
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    private void Abandon(Statements statements)
    {
        try
        {
            // Most failures leave the transaction open; some (I/O errors at commit) have already rolled it back.
            if (SQLitePCL.raw.sqlite3_get_autocommit(statements.Connection.Handle) == 0)
            {
                statements.Rollback.ExecuteNonQuery();
            }
        }
        catch (SqliteException)
        {
            // A connection that cannot even roll back is not trusted again; the next batch opens a new one.
            statements.Dispose();
            _statements = null;
        }
    }

    /// <summary>The writer connection and its prepared statements, with their parameters kept at hand so binding is a field store.</summary>
    private sealed class Statements : IDisposable
    {
        public Statements(SqliteConnection connection)
        {
            Connection = connection;
            Begin = Prepare("BEGIN IMMEDIATE");
            Commit = Prepare("COMMIT");
            Rollback = Prepare("ROLLBACK");

            Insert = Prepare("""
                INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload, updated_at)
                VALUES ($type, $key, $name, 1, $payload, $now)
                ON CONFLICT DO NOTHING
                """, out var insertParameters, ("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text), ("$payload", SqliteType.Blob), ("$now", SqliteType.Integer));
            (InsertType, InsertKey, InsertName, InsertPayload, InsertNow) =
                (insertParameters[0], insertParameters[1], insertParameters[2], insertParameters[3], insertParameters[4]);

            Update = Prepare("""
                UPDATE grain_state SET version = version + 1, payload = $payload, updated_at = $now
                WHERE grain_type = $type AND grain_key = $key AND state_name = $name AND version = $expected
                """, out var updateParameters, ("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text), ("$payload", SqliteType.Blob), ("$now", SqliteType.Integer), ("$expected", SqliteType.Integer));
            (UpdateType, UpdateKey, UpdateName, UpdatePayload, UpdateNow, UpdateExpected) =
                (updateParameters[0], updateParameters[1], updateParameters[2], updateParameters[3], updateParameters[4], updateParameters[5]);

            Select = Prepare(
                "SELECT version FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name",
                out var selectParameters, ("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text));
            (SelectType, SelectKey, SelectName) = (selectParameters[0], selectParameters[1], selectParameters[2]);
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Begin { get; }

        public SqliteCommand Commit { get; }

        public SqliteCommand Rollback { get; }

        public SqliteCommand Insert { get; }

        public SqliteParameter InsertType { get; }

        public SqliteParameter InsertKey { get; }

        public SqliteParameter InsertName { get; }

        public SqliteParameter InsertPayload { get; }

        public SqliteParameter InsertNow { get; }

        public SqliteCommand Update { get; }

        public SqliteParameter UpdateType { get; }

        public SqliteParameter UpdateKey { get; }

        public SqliteParameter UpdateName { get; }

        public SqliteParameter UpdatePayload { get; }

        public SqliteParameter UpdateNow { get; }

        public SqliteParameter UpdateExpected { get; }

        public SqliteCommand Select { get; }

        public SqliteParameter SelectType { get; }

        public SqliteParameter SelectKey { get; }

        public SqliteParameter SelectName { get; }

        public void Dispose()
        {
            Begin.Dispose();
            Commit.Dispose();
            Rollback.Dispose();
            Insert.Dispose();
            Update.Dispose();
            Select.Dispose();
            Connection.Dispose();
        }

        private SqliteCommand Prepare(string sql) => Prepare(sql, out _);

        private SqliteCommand Prepare(string sql, out SqliteParameter[] parameters, params (string Name, SqliteType Type)[] declared)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            parameters = new SqliteParameter[declared.Length];
            for (var i = 0; i < declared.Length; i++)
            {
                parameters[i] = command.Parameters.Add(declared[i].Name, declared[i].Type);
            }

            command.Prepare();
            return command;
        }
    }
}
