using Npgsql;

namespace Lineage.Runtime.Persistence.Postgres;

/// <summary>Settings of a <see cref="PostgresGrainStorage"/>: which database it uses and how it commits.</summary>
/// <remarks>Named options: each storage name has its own set, e.g. bound by the host with
/// <c>services.AddOptions&lt;PostgresGrainStorageOptions&gt;("Default").BindConfiguration(PostgresGrainStorageOptions.SectionName)</c>.</remarks>
public sealed class PostgresGrainStorageOptions
{
    /// <summary>Conventional configuration section for these options ("Storage:Postgres").</summary>
    public const string SectionName = "Storage:Postgres";

    /// <summary>Npgsql connection string of the database, e.g. <c>Host=127.0.0.1;Port=5432;Username=lineage;Database=lineage</c>.
    /// Required; there is no default. The schema is created in the connection's default schema (its search path).</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Most writes committed in one transaction. 1 gives one transaction (and one WAL flush) per write. Default: 1024.</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>How long the commit loop lingers for more writes before starting a transaction. Every write waits up to this
    /// much longer; worth it only when writers are few and each commit is slow, since under load batches form by themselves from
    /// the writes that arrive while the previous transaction commits. At most 1 s. Default: zero (no linger).</summary>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.Zero;

    internal void Validate(string storageName)
    {
        void Fail(string option, object? value, string rule) =>
            throw new ArgumentOutOfRangeException(option, value, $"PostgreSQL grain storage '{storageName}': {option} {rule}.");

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Fail(nameof(ConnectionString), ConnectionString, "is required (an Npgsql connection string such as Host=127.0.0.1;Port=5432;Username=lineage;Database=lineage)");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException exception)
        {
            // The value is left out of the message: it may hold a password.
            Fail(nameof(ConnectionString), null, "is not a valid Npgsql connection string: " + exception.Message);
        }

        if (MaxBatchSize < 1)
        {
            Fail(nameof(MaxBatchSize), MaxBatchSize, "must be at least 1");
        }

        if (CommitDelay < TimeSpan.Zero || CommitDelay > TimeSpan.FromSeconds(1))
        {
            Fail(nameof(CommitDelay), CommitDelay, "must be between 0 and 1 s");
        }
    }
}
