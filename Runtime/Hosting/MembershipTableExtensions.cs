using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Cluster.Membership.Postgres;
using Lineage.Runtime.Cluster.Membership.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Runtime.Hosting;

/// <summary>Chooses where a silo's cluster keeps its membership table.</summary>
/// <remarks>Each registers the silo's one <see cref="IMembershipTable"/> singleton (the first registration wins); whoever uses the
/// table calls <see cref="IMembershipTable.InitializeAsync"/> once before anything else. Options may also be bound from
/// configuration (sections <see cref="SqliteMembershipTableOptions.SectionName"/>, <see cref="PostgresMembershipTableOptions.SectionName"/>);
/// <c>configure</c> runs after.</remarks>
public static class MembershipTableExtensions
{
    /// <summary>Keeps the membership of cluster <paramref name="clusterId"/> in a SQLite file shared by the silo processes of one
    /// machine (by default the grain storage's <c>./data/lineage.db</c>).</summary>
    public static SiloBuilder UseSqliteMembership(this SiloBuilder builder, string clusterId, Action<SqliteMembershipTableOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var options = builder.Services.AddOptions<SqliteMembershipTableOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton<IMembershipTable>(provider => new SqliteMembershipTable(
            clusterId,
            provider.GetRequiredService<IOptions<SqliteMembershipTableOptions>>().Value,
            provider.GetService<ILoggerFactory>()?.CreateLogger<SqliteMembershipTable>(),
            provider.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>Keeps the membership of cluster <paramref name="clusterId"/> in a PostgreSQL database shared by silos on several machines.</summary>
    public static SiloBuilder UsePostgresMembership(this SiloBuilder builder, string clusterId, Action<PostgresMembershipTableOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var options = builder.Services.AddOptions<PostgresMembershipTableOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton<IMembershipTable>(provider => new PostgresMembershipTable(
            clusterId,
            provider.GetRequiredService<IOptions<PostgresMembershipTableOptions>>().Value,
            provider.GetService<ILoggerFactory>()?.CreateLogger<PostgresMembershipTable>(),
            provider.GetService<TimeProvider>()));
        return builder;
    }
}
