using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Cluster.Membership.Postgres;
using Lineage.Tests.Persistence.Postgres;
using Npgsql;

namespace Lineage.Tests.Cluster.MembershipTable;

/// <summary>The membership contract on PostgreSQL.</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresMembershipTableTests(PostgresServer server) : MembershipTableContractTests
{
    private string _connectionString = string.Empty;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _connectionString = await server.CreateDatabaseAsync();
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_refused_naming_it()
    {
        var missing = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "lineage_no_such_database" }.ConnectionString;
        await using var table = new PostgresMembershipTable("c", new PostgresMembershipTableOptions { ConnectionString = missing });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => table.InitializeAsync(Ct));

        Assert.Contains("lineage_no_such_database", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_connection_string_is_refused_naming_the_setting() =>
        Assert.Equal("ConnectionString", Assert.Throws<ArgumentException>(() => new PostgresMembershipTable("c", new PostgresMembershipTableOptions())).ParamName);

    protected override IMembershipTable CreateTable(string clusterId) =>
        new PostgresMembershipTable(clusterId, new PostgresMembershipTableOptions { ConnectionString = _connectionString });
}
