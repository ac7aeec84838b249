namespace Lineage.Silo.Hosting;

/// <summary>Where a silo keeps grain state and cluster membership (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>A SQLite file in <c>Storage:Sqlite:DataDirectory</c>, shared by the silos of one machine. The default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database at <c>Storage:Postgres:ConnectionString</c>, shared by silos on several machines.</summary>
    Postgres,
}
