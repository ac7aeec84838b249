using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Lineage.Runtime.Persistence.Sqlite;

/// <summary>A SQLite database file as Lineage's stores open it (grain storage and the edge store may share one): its directory
/// created, and reader and writer connections set up alike from <see cref="SqliteGrainStorageOptions"/>.</summary>
internal sealed class SqliteDatabaseFile
{
    private readonly string _owner;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly string _busyTimeoutPragma;
    private readonly string _synchronousPragma;
    private readonly string _checkpointPragma;

    /// <param name="options">Where the file is and how it syncs and waits.</param>
    /// <param name="owner">Who opens it, for messages ("grain storage 'Default'").</param>
    public SqliteDatabaseFile(SqliteGrainStorageOptions options, string owner)
    {
        _owner = owner;
        var directory = System.IO.Path.GetFullPath(options.DataDirectory);
        Path = System.IO.Path.Combine(directory, options.FileName);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot create the data directory '{directory}' of {owner}: {exception.Message}", exception);
        }

        SynchronousMode = options.Synchronous == SqliteSynchronousMode.Normal ? "NORMAL" : "FULL";
        _synchronousPragma = "PRAGMA synchronous = " + SynchronousMode;
        _busyTimeoutPragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}");
        _checkpointPragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = {options.WalAutoCheckpointPages}");

        // Pooling is off because the stores keep their own connections open for their whole life. Microsoft.Data.Sqlite also retries
        // a busy file for the command timeout, so that is kept in step with BusyTimeout (it counts in whole seconds; 0 would mean forever).
        var timeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        _writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The <c>synchronous</c> setting of writer connections: FULL or NORMAL.</summary>
    public string SynchronousMode { get; }

    /// <summary>Opens a read-only connection.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            connection.Open();
            SqliteSchema.Execute(connection, _busyTimeoutPragma);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a writer connection; the first one of a store passes <paramref name="initialize"/>, which runs after the file is
    /// switched to WAL (readers never block the writer nor it them, and a commit appends to one file instead of rewriting pages twice)
    /// and before the per-connection <c>synchronous</c> and <c>wal_autocheckpoint</c> settings.</summary>
    public SqliteConnection OpenWriter(Action<SqliteConnection>? initialize)
    {
        var connection = new SqliteConnection(_writeConnectionString);
        try
        {
            connection.Open();
            SqliteSchema.Execute(connection, _busyTimeoutPragma);
            if (initialize is not null)
            {
                // Before anything changes the file: a foreign database is refused untouched.
                SqliteSchema.EnsureLineageDatabase(connection, Path);
                var journalMode = SqliteSchema.ScalarString(connection, "PRAGMA journal_mode = WAL");
                if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"The database '{Path}' of {_owner} could not be switched to WAL journal mode (it reports '{journalMode}'); " +
                        "the file system may not support the shared memory WAL needs.");
                }

                initialize(connection);
            }

            SqliteSchema.Execute(connection, _synchronousPragma);
            SqliteSchema.Execute(connection, _checkpointPragma);
            return connection;
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw new InvalidOperationException($"Cannot open the database '{Path}' of {_owner}: {exception.Message}", exception);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
