namespace Lineage.Runtime.Persistence.Sqlite;

/// <summary>Settings of a <see cref="SqliteGrainStorage"/>: where its database file lives and how it commits.</summary>
/// <remarks>Named options: each storage name has its own set, e.g. bound by the host with
/// <c>services.AddOptions&lt;SqliteGrainStorageOptions&gt;("Default").BindConfiguration(SqliteGrainStorageOptions.SectionName)</c>.</remarks>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>Conventional configuration section for these options ("Storage:Sqlite").</summary>
    public const string SectionName = "Storage:Sqlite";

    /// <summary>Directory holding the database file, created if missing; a relative path is taken from the process's current
    /// directory. Default: "./data".</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Name of the database file in <see cref="DataDirectory"/>. Default: "lineage.db".</summary>
    public string FileName { get; set; } = "lineage.db";

    /// <summary>How hard each commit syncs to disk. Default: <see cref="SqliteSynchronousMode.Full"/>, durable against power loss.</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>Most writes committed in one transaction. 1 gives one transaction (and one sync) per write. Default: 1024.</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>How long the commit loop lingers for more writes before starting a transaction. Every write waits up to this
    /// much longer; worth it only when writers are few and each sync is slow, since under load batches form by themselves from
    /// the writes that arrive while the previous transaction commits. At most 1 s. Default: zero (no linger).</summary>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long a statement waits for a lock held by another process using the same file before failing. Default: 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>WAL size, in pages, at which a commit copies the log back into the database file (SQLite's <c>wal_autocheckpoint</c>).
    /// Larger means fewer checkpoints, and a page changed many times between two of them is copied once; the log file grows to about
    /// this many pages (4 KB each) before it is reused. Default: 16,384 (64 MB), where SQLite's own default of 1,000 cost an intake of
    /// random posts about a tenth more CPU.</summary>
    public int WalAutoCheckpointPages { get; set; } = 16_384;

    internal void Validate(string storageName)
    {
        void Fail(string option, object? value, string rule) =>
            throw new ArgumentOutOfRangeException(option, value, $"SQLite grain storage '{storageName}': {option} {rule}.");

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            Fail(nameof(DataDirectory), DataDirectory, "must name a directory");
        }

        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            Fail(nameof(FileName), FileName, "must be a plain file name");
        }

        if (!Enum.IsDefined(Synchronous))
        {
            Fail(nameof(Synchronous), Synchronous, "must be Full or Normal");
        }

        if (MaxBatchSize < 1)
        {
            Fail(nameof(MaxBatchSize), MaxBatchSize, "must be at least 1");
        }

        if (WalAutoCheckpointPages < 1)
        {
            Fail(nameof(WalAutoCheckpointPages), WalAutoCheckpointPages, "must be at least 1");
        }

        if (CommitDelay < TimeSpan.Zero || CommitDelay > TimeSpan.FromSeconds(1))
        {
            Fail(nameof(CommitDelay), CommitDelay, "must be between 0 and 1 s");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            Fail(nameof(BusyTimeout), BusyTimeout, "must be zero or positive");
        }
    }
}

/// <summary>SQLite's <c>synchronous</c> setting for the grain storage's commits (always in WAL journal mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>Every commit is synced to disk before it is acknowledged: an acknowledged write survives a crash of the process,
    /// the operating system or the power. The default.</summary>
    Full = 0,

    /// <summary>Commits are synced only at checkpoints: faster, and an acknowledged write survives a crash of the process, but the
    /// last commits may be lost if the operating system crashes or the power fails.</summary>
    Normal = 1,
}
