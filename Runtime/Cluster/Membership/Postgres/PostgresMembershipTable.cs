using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Lineage.Runtime.Cluster.Membership.Postgres;

/// <summary>The membership table in a PostgreSQL database shared by silos on several machines.</summary>
/// <remarks>
/// <para>Every operation is ONE statement, so it is atomic and needs one round trip. A change bumps the cluster's version row in a
/// data-modifying CTE (<c>UPDATE ... WHERE version = $expected</c>, or an insert of version 1 when 0 is expected) and writes the silo's
/// row only if the bump happened. Two silos racing with the same expected version queue on the version row's lock; when the first
/// commits, the second's condition is re-checked against the new version and fails, so exactly one wins. A read is one statement
/// too, hence one snapshot of the version and the rows.</para>
/// <para>Times are stored as <c>timestamptz</c>, suspicions as <c>jsonb</c>.</para>
/// </remarks>
public sealed class PostgresMembershipTable : IMembershipTable, IAsyncDisposable
{
    private const string ReadAllSql = """
        SELECT v.version, m.host, m.port, m.generation, m.status, m.host_name, m.started_at, m.i_am_alive_at, m.suspicions::text
        FROM (SELECT coalesce((SELECT version FROM lineage_membership_version WHERE cluster_id = $1), 0) AS version) AS v
        LEFT JOIN lineage_membership AS m ON m.cluster_id = $1
        """;

    private const string UpsertSql = """
        INSERT INTO lineage_membership (cluster_id, host, port, generation, status, host_name, started_at, i_am_alive_at, suspicions)
        SELECT $1, $3, $4, $5, $6, $7, $8, $9, $10 FROM bumped
        ON CONFLICT (cluster_id, host, port, generation) DO UPDATE SET
            status = excluded.status, host_name = excluded.host_name, started_at = excluded.started_at,
            i_am_alive_at = excluded.i_am_alive_at, suspicions = excluded.suspicions
        """;

    private const string FirstWriteSql = """
        WITH bumped AS (
            INSERT INTO lineage_membership_version (cluster_id, version) SELECT $1, 1 WHERE $2 = 0
            ON CONFLICT DO NOTHING RETURNING version)
        """ + "\n" + UpsertSql;

    private const string NextWriteSql = """
        WITH bumped AS (
            UPDATE lineage_membership_version SET version = version + 1 WHERE cluster_id = $1 AND version = $2 RETURNING version)
        """ + "\n" + UpsertSql;

    private readonly string _clusterId;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _database;
    private volatile bool _initialized;

    /// <summary>Describes the table of cluster <paramref name="clusterId"/> in the database named by <paramref name="options"/>;
    /// nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <param name="clusterId">The cluster whose rows this instance reads and writes; other clusters' rows stay invisible.</param>
    /// <param name="options">Which database.</param>
    /// <param name="logger">Where opening and lost races are reported; none when null.</param>
    /// <param name="timeProvider">Clock for the schema's migration records; the system clock when null.</param>
    public PostgresMembershipTable(string clusterId, PostgresMembershipTableOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _clusterId = clusterId;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _database = PostgresSchema.Describe(options.ConnectionString);
        _dataSource = PostgresGrainStorage.CreateDataSource(options.ConnectionString);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        int schemaVersion;
        try
        {
            schemaVersion = await PostgresSchema.MigrateAsync(_dataSource, "membership table", _timeProvider, _logger, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException($"Cannot open the membership database '{_database}': {exception.Message}", exception);
        }

        _initialized = true;
        _logger.MembershipTableReady(_clusterId, _database, schemaVersion);
    }

    /// <inheritdoc />
    public async Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(ReadAllSql);
        command.Parameters.Add(Text(_clusterId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long version = 0;
        var entries = new List<MembershipEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            version = reader.GetInt64(0);
            if (await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var silo = new SiloAddress(reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3));
            entries.Add(new MembershipEntry(
                silo,
                MembershipColumns.ReadStatus(reader.GetInt16(4), silo),
                reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                MembershipColumns.ReadSuspicions(reader.GetString(8), silo)));
        }

        return new MembershipSnapshot(version, entries);
    }

    /// <inheritdoc />
    public async Task<bool> TryWriteAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        MembershipColumns.Validate(entry);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        await using var command = CreateCommand(expectedVersion == 0 ? FirstWriteSql : NextWriteSql);
        command.Parameters.Add(Text(_clusterId));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(Text(entry.Silo.Host));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.Silo.Port, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = entry.Silo.Generation, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)entry.Status, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(Text(entry.HostName));
        command.Parameters.Add(Time(entry.StartedAt));
        command.Parameters.Add(Time(entry.IAmAliveAt));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MembershipColumns.WriteSuspicions(entry.Suspicions), NpgsqlDbType = NpgsqlDbType.Jsonb });
        var written = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (!written)
        {
            _logger.MembershipWriteConflict(entry.Silo.ToString(), _clusterId, expectedVersion);
        }

        return written;
    }

    /// <inheritdoc />
    public async Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await using var command = CreateCommand(
            "UPDATE lineage_membership SET i_am_alive_at = $5 WHERE cluster_id = $1 AND host = $2 AND port = $3 AND generation = $4");
        command.Parameters.Add(Text(_clusterId));
        command.Parameters.Add(Text(silo.Host));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Port, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = silo.Generation, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(Time(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> DeleteDeadAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand("DELETE FROM lineage_membership WHERE cluster_id = $1 AND status = $2 AND i_am_alive_at < $3");
        command.Parameters.Add(Text(_clusterId));
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)SiloStatus.Dead, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(Time(olderThan));
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            _logger.MembershipDeadRemoved(_clusterId, deleted, olderThan);
        }

        return deleted;
    }

    /// <summary>Closes the table's pooled connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) =>
        new() { TypedValue = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private NpgsqlCommand CreateCommand(string sql)
    {
        if (!_initialized)
        {
            throw new InvalidOperationException(
                $"The membership table of cluster '{_clusterId}' in '{_database}' is used before InitializeAsync has created its schema.");
        }

        return _dataSource.CreateCommand(sql);
    }
}
