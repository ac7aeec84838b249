using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Cluster.Membership.Postgres;
using Lineage.Runtime.Cluster.Membership.Sqlite;
using Lineage.Runtime.Hosting;
using Lineage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Cluster.MembershipTable;

public sealed class MembershipTableRegistrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Sqlite_membership_is_one_singleton_table_of_the_given_cluster_in_the_configured_file()
    {
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services).UseSqliteMembership("blue", o => o.DataDirectory = _directory.Path);

        await using var provider = services.BuildServiceProvider();
        var table = Assert.IsType<SqliteMembershipTable>(provider.GetRequiredService<IMembershipTable>());
        Assert.Same(table, provider.GetRequiredService<IMembershipTable>());
        Assert.Equal(_directory.File("lineage.db"), table.DatabasePath);

        await table.InitializeAsync(Ct);
        Assert.True(await table.TryWriteAsync(new MembershipEntry(new SiloAddress("127.0.0.1", 1, 1), SiloStatus.Joining, "h", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, []), 0, Ct));
        var other = new SqliteMembershipTable("red", new SqliteMembershipTableOptions { DataDirectory = _directory.Path });
        await other.InitializeAsync(Ct);
        Assert.Equal(0, (await other.ReadAllAsync(Ct)).Version);
    }

    [Fact]
    public async Task The_first_membership_choice_wins()
    {
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services)
            .UsePostgresMembership("blue", o => o.ConnectionString = "Host=127.0.0.1;Port=1;Username=postgres")
            .UseSqliteMembership("blue", o => o.DataDirectory = _directory.Path);

        await using var provider = services.BuildServiceProvider();
        Assert.IsType<PostgresMembershipTable>(provider.GetRequiredService<IMembershipTable>());
    }
}
