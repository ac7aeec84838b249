using Lineage.Runtime.Cluster;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Persistence.Postgres;

namespace Lineage.Tests.Cluster;

// The core cluster scenarios, once with the SQLite file silos of one machine share and once with PostgreSQL.

public sealed class PlacementTestsOnSqlite : PlacementTests
{
    protected override Task<TestCluster> StartClusterAsync(int silos) => TestCluster.StartAsync(silos);
}

public sealed class FailoverTestsOnSqlite : FailoverTests
{
    protected override Task<TestCluster> StartClusterAsync(int silos, Action<ClusterOptions>? configure = null) =>
        TestCluster.StartAsync(silos, configure: configure);
}

[Collection(PostgresServer.Collection)]
public sealed class PlacementTestsOnPostgres(PostgresServer server) : PlacementTests
{
    protected override async Task<TestCluster> StartClusterAsync(int silos) =>
        await TestCluster.StartAsync(silos, ClusterStorage.Postgres, await server.CreateDatabaseAsync());
}

[Collection(PostgresServer.Collection)]
public sealed class FailoverTestsOnPostgres(PostgresServer server) : FailoverTests
{
    protected override async Task<TestCluster> StartClusterAsync(int silos, Action<ClusterOptions>? configure = null) =>
        await TestCluster.StartAsync(silos, ClusterStorage.Postgres, await server.CreateDatabaseAsync(), configure);
}
