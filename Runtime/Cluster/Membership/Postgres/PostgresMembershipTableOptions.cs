using Npgsql;

namespace Lineage.Runtime.Cluster.Membership.Postgres;

/// <summary>Settings of a <see cref="PostgresMembershipTable"/>: which database holds the table.</summary>
public sealed class PostgresMembershipTableOptions
{
    /// <summary>Conventional configuration section for these options ("Cluster:Membership:Postgres").</summary>
    public const string SectionName = "Cluster:Membership:Postgres";

    /// <summary>Npgsql connection string of the database every silo of the cluster uses, e.g.
    /// <c>Host=10.0.0.5;Port=5432;Username=lineage;Database=lineage</c>. Required; there is no default. May be the grain storage's
    /// database: the tables are created in the connection's default schema next to the grain state.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException(
                "PostgreSQL membership table: ConnectionString is required (an Npgsql connection string such as Host=127.0.0.1;Port=5432;Username=lineage;Database=lineage).",
                nameof(ConnectionString));
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException exception)
        {
            // The value is left out of the message: it may hold a password.
            throw new ArgumentException($"PostgreSQL membership table: ConnectionString is not a valid Npgsql connection string: {exception.Message}", nameof(ConnectionString), exception);
        }
    }
}
