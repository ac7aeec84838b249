using System.Runtime.InteropServices;
using Lineage.Runtime.Persistence.GroupCommit;
using Microsoft.Data.Sqlite;

namespace Lineage.Runtime.Persistence.Edges;

/// <summary>The SQLite half of the edge store's group commit: applies a batch of appends in one transaction on a dedicated connection.</summary>
/// <remarks>Each queued operation is one <see cref="IEdgeStore.AppendAsync"/> call: its grain and state name are the relation's owner
/// and name, its payload the rows packed by <see cref="EdgeRowCodec"/>, and the "version" it completes with is the number of rows it
/// added. Appends never conflict, so none is refused.</remarks>
internal sealed class SqliteEdgeWriter(SqliteConnection connection, Func<SqliteConnection> openConnection, TimeProvider timeProvider)
    : IStateBatchExecutor, IDisposable
{
    private Statements? _statements = new(connection);

    public ValueTask ExecuteBatchAsync(IReadOnlyList<StateOperation> batch)
    {
        var statements = _statements ??= new Statements(openConnection());
        statements.Now.Value = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        statements.Begin.ExecuteNonQuery();
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var operation = batch[i];
                statements.Type.Value = operation.GrainId.Type;
                statements.Key.Value = operation.GrainId.Key;
                statements.Relation.Value = operation.StateName;
                var added = 0;
                var offset = 0;
                while (EdgeRowCodec.TryRead(operation.Payload, ref offset, out var edgeKey, out var payload))
                {
                    statements.EdgeKey.Value = edgeKey;
                    statements.Payload.Value = AsArray(payload);
                    added += statements.Insert.ExecuteNonQuery();
                }

                operation.SetApplied(added);
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

    private static byte[] AsArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    private void Abandon(Statements statements)
    {
        try
        {
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

    /// <summary>The writer connection and its prepared statements.</summary>
    private sealed class Statements : IDisposable
    {
        public Statements(SqliteConnection connection)
        {
            Connection = connection;
            Begin = Prepare("BEGIN IMMEDIATE");
            Commit = Prepare("COMMIT");
            Rollback = Prepare("ROLLBACK");
            Insert = Prepare("""
                INSERT INTO grain_edge (grain_type, grain_key, relation, edge_key, payload, appended_at)
                VALUES ($type, $key, $relation, $edge, $payload, $now)
                ON CONFLICT DO NOTHING
                """);
            Type = Insert.Parameters.Add("$type", SqliteType.Text);
            Key = Insert.Parameters.Add("$key", SqliteType.Text);
            Relation = Insert.Parameters.Add("$relation", SqliteType.Text);
            EdgeKey = Insert.Parameters.Add("$edge", SqliteType.Text);
            Payload = Insert.Parameters.Add("$payload", SqliteType.Blob);
            Now = Insert.Parameters.Add("$now", SqliteType.Integer);
            Insert.Prepare();
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Begin { get; }

        public SqliteCommand Commit { get; }

        public SqliteCommand Rollback { get; }

        public SqliteCommand Insert { get; }

        public SqliteParameter Type { get; }

        public SqliteParameter Key { get; }

        public SqliteParameter Relation { get; }

        public SqliteParameter EdgeKey { get; }

        public SqliteParameter Payload { get; }

        public SqliteParameter Now { get; }

        public void Dispose()
        {
            Begin.Dispose();
            Commit.Dispose();
            Rollback.Dispose();
            Insert.Dispose();
            Connection.Dispose();
        }

        private SqliteCommand Prepare(string sql)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            if (!sql.Contains('$', StringComparison.Ordinal))
            {
                command.Prepare();
            }

            return command;
        }
    }
}
