namespace Lineage.Runtime.Cluster.Membership.Sqlite;

/// <summary>Settings of a <see cref="SqliteMembershipTable"/>: which database file holds the table.</summary>
/// <remarks>The defaults name the same file as the SQLite grain storage's defaults, so a silo keeps its state and its cluster's
/// membership in one database. Every silo process of the cluster must point at the same file, on a local disk (SQLite's locking
/// does not work over network file systems).</remarks>
public sealed class SqliteMembershipTableOptions
{
    /// <summary>Conventional configuration section for these options ("Cluster:Membership:Sqlite").</summary>
    public const string SectionName = "Cluster:Membership:Sqlite";

    /// <summary>Directory holding the database file, created if missing; a relative path is taken from the process's current
    /// directory. Default: "./data".</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Name of the database file in <see cref="DataDirectory"/>. Default: "lineage.db".</summary>
    public string FileName { get; set; } = "lineage.db";

    /// <summary>How long an operation waits for a lock held by another process using the same file before failing. Default: 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        static void Fail(string option, object? value, string rule) =>
            throw new ArgumentOutOfRangeException(option, value, $"SQLite membership table: {option} {rule}.");

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            Fail(nameof(DataDirectory), DataDirectory, "must name a directory");
        }

        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            Fail(nameof(FileName), FileName, "must be a plain file name");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            Fail(nameof(BusyTimeout), BusyTimeout, "must be zero or positive");
        }
    }
}
