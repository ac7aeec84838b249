using System.Globalization;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Runtime.Cluster.Membership.Sqlite;

/// <summary>The membership table in a SQLite file shared by the silo processes of one machine (by default the grain storage's file).</summary>
/// <remarks>
/// <para>Each operation opens its own connection, so instances in several processes, or several in one, behave alike. A change takes
/// the file's write lock up front (<c>BEGIN IMMEDIATE</c>), bumps the cluster's version only if it is still the expected one, and
/// writes the row in the same transaction; a reader sees the version and the rows of one committed state. WAL journal, synchronous
/// FULL: an acknowledged change survives a power loss. Another process's lock is waited for up to
/// <see cref="SqliteMembershipTableOptions.BusyTimeout"/>.</para>
/// <para>SQLite works synchronously; operations run on the thread pool so that a lock wait never blocks the caller's thread.</para>
/// </remarks>
public sealed class SqliteMembershipTable : IMembershipTable
{
    private const string ReadAllSql = """
        SELECT v.version, m.host, m.port, m.generation, m.status, m.host_name, m.started_at, m.i_am_alive_at, m.suspicions
        FROM (SELECT coalesce((SELECT version FROM membership_version WHERE cluster_id = $cluster), 0) AS version) AS v
        LEFT JOIN membership_silo AS m ON m.cluster_id = $cluster
        """;

    private const string UpsertSql = """
        INSERT INTO membership_silo (cluster_id, host, port, generation, status, host_name, started_at, i_am_alive_at, suspicions)
        VALUES ($cluster, $host, $port, $generation, $status, $hostName, $startedAt, $iAmAliveAt, $suspicions)
        ON CONFLICT (cluster_id, host, port, generation) DO UPDATE SET
            status = excluded.status, host_name = excluded.host_name, started_at = excluded.started_at,
            i_am_alive_at = excluded.i_am_alive_at, suspicions = excluded.suspicions
        """;

    private readonly string _clusterId;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private volatile bool _initialized;

    /// <summary>Describes the table of cluster <paramref name="clusterId"/> in the file named by <paramref name="options"/>; nothing
    /// is opened until <see cref="InitializeAsync"/>.</summary>
    /// <param name="clusterId">The cluster whose rows this instance reads and writes; other clusters' rows in the file stay invisible.</param>
    /// <param name="options">Where the file lives.</param>
    /// <param name="logger">Where opening and lost races are reported; none when null.</param>
    /// <param name="timeProvider">Clock for the schema's migration records; the system clock when null.</param>
    public SqliteMembershipTable(string clusterId, SqliteMembershipTableOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _clusterId = clusterId;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        DatabasePath = Path.Combine(Path.GetFullPath(options.DataDirectory), options.FileName);
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;

        // Microsoft.Data.Sqlite also retries a busy file for the command timeout (whole seconds; 0 would mean forever): kept in step.
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"Cannot create the directory of the membership database '{DatabasePath}': {exception.Message}", exception);
            }

            try
            {
                using var connection = Open();
                SqliteSchema.EnsureLineageDatabase(connection, DatabasePath);
                var journalMode = SqliteSchema.ScalarString(connection, "PRAGMA journal_mode = WAL");
                if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"The membership database '{DatabasePath}' could not be switched to WAL journal mode (it reports '{journalMode}'); " +
                        "the file system may not support the shared memory WAL needs.");
                }

                var schemaVersion = SqliteSchema.Migrate(connection, DatabasePath, _timeProvider, _logger, "membership");
                _initialized = true;
                _logger.MembershipTableReady(_clusterId, DatabasePath, schemaVersion);
            }
            catch (SqliteException exception)
            {
                throw new InvalidOperationException($"Cannot open the membership database '{DatabasePath}': {exception.Message}", exception);
            }
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken) => Run(
        connection =>
        {
            // One statement reads one snapshot of the file: the version and the rows it belongs to.
            using var command = connection.CreateCommand();
            command.CommandText = ReadAllSql;
            command.Parameters.AddWithValue("$cluster", _clusterId);
            using var reader = command.ExecuteReader();
            long version = 0;
            var entries = new List<MembershipEntry>();
            while (reader.Read())
            {
                version = reader.GetInt64(0);
                if (reader.IsDBNull(1))
                {
                    continue;
                }

                var silo = new SiloAddress(reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3));
                entries.Add(new MembershipEntry(
                    silo,
                    MembershipColumns.ReadStatus(reader.GetInt64(4), silo),
                    reader.GetString(5),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    MembershipColumns.ReadSuspicions(reader.GetString(8), silo)));
            }

            return new MembershipSnapshot(version, entries);
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<bool> TryWriteAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        MembershipColumns.Validate(entry);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        var suspicions = MembershipColumns.WriteSuspicions(entry.Suspicions);
        return Run(
            connection =>
            {
                // IMMEDIATE takes the write lock before reading the version, so no other process can move it between check and write.
                SqliteSchema.Execute(connection, "BEGIN IMMEDIATE");
                try
                {
                    using (var bump = connection.CreateCommand())
                    {
                        bump.CommandText = expectedVersion == 0
                            ? "INSERT INTO membership_version (cluster_id, version) VALUES ($cluster, 1) ON CONFLICT DO NOTHING"
                            : "UPDATE membership_version SET version = version + 1 WHERE cluster_id = $cluster AND version = $expected";
                        bump.Parameters.AddWithValue("$cluster", _clusterId);
                        bump.Parameters.AddWithValue("$expected", expectedVersion);
                        if (bump.ExecuteNonQuery() != 1)
                        {
                            SqliteSchema.Execute(connection, "ROLLBACK");
                            _logger.MembershipWriteConflict(entry.Silo.ToString(), _clusterId, expectedVersion);
                            return false;
                        }
                    }

                    using (var upsert = connection.CreateCommand())
                    {
                        upsert.CommandText = UpsertSql;
                        upsert.Parameters.AddWithValue("$cluster", _clusterId);
                        upsert.Parameters.AddWithValue("$host", entry.Silo.Host);
                        upsert.Parameters.AddWithValue("$port", entry.Silo.Port);
                        upsert.Parameters.AddWithValue("$generation", entry.Silo.Generation);
                        upsert.Parameters.AddWithValue("$status", (int)entry.Status);
                        upsert.Parameters.AddWithValue("$hostName", entry.HostName);
                        upsert.Parameters.AddWithValue("$startedAt", entry.StartedAt.ToUnixTimeMilliseconds());
                        upsert.Parameters.AddWithValue("$iAmAliveAt", entry.IAmAliveAt.ToUnixTimeMilliseconds());
                        upsert.Parameters.AddWithValue("$suspicions", suspicions);
                        upsert.ExecuteNonQuery();
                    }

                    SqliteSchema.Execute(connection, "COMMIT");
                    return true;
                }
                catch
                {
                    // Some failures (I/O errors at commit) have already rolled the transaction back.
                    if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
                    {
                        SqliteSchema.Execute(connection, "ROLLBACK");
                    }

                    throw;
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return Run(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = """
                    UPDATE membership_silo SET i_am_alive_at = $at
                    WHERE cluster_id = $cluster AND host = $host AND port = $port AND generation = $generation
                    """;
                command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
                AddSilo(command, silo);
                return command.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteDeadAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => Run(
        connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM membership_silo WHERE cluster_id = $cluster AND status = $dead AND i_am_alive_at < $olderThan";
            command.Parameters.AddWithValue("$cluster", _clusterId);
            command.Parameters.AddWithValue("$dead", (int)SiloStatus.Dead);
            command.Parameters.AddWithValue("$olderThan", olderThan.ToUnixTimeMilliseconds());
            var deleted = command.ExecuteNonQuery();
            if (deleted > 0)
            {
                _logger.MembershipDeadRemoved(_clusterId, deleted, olderThan);
            }

            return deleted;
        },
        cancellationToken);

    private void AddSilo(SqliteCommand command, SiloAddress silo)
    {
        command.Parameters.AddWithValue("$cluster", _clusterId);
        command.Parameters.AddWithValue("$host", silo.Host);
        command.Parameters.AddWithValue("$port", silo.Port);
        command.Parameters.AddWithValue("$generation", silo.Generation);
    }

    private Task<T> Run<T>(Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            throw new InvalidOperationException(
                $"The membership table of cluster '{_clusterId}' in '{DatabasePath}' is used before InitializeAsync has created its schema.");
        }

        return Task.Run(
            () =>
            {
                using var connection = Open();
                return operation(connection);
            },
            cancellationToken);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteSchema.Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}"));

            // A per-connection setting: every change this table acknowledges has reached the disk.
            SqliteSchema.Execute(connection, "PRAGMA synchronous = FULL");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
