using Lineage.Grains.Intake;
using Lineage.Runtime;
using Lineage.Runtime.Hosting;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Persistence.Postgres;

namespace Lineage.Tests.Domain;

/// <summary>The lineage on a cluster whose grain state, membership and edges live in PostgreSQL: the same answers as a single silo.</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresClusterLineageTests(PostgresServer server)
{
    [Fact]
    public async Task A_cascade_ingested_through_one_silo_of_a_postgres_cluster_traces_as_on_a_single_sqlite_silo()
    {
        var lines = RealCascades.SightingLines(CrossSiloTests.PlainTree);
        var root = "twitter/" + Path.GetFileNameWithoutExtension(CrossSiloTests.PlainTree);
        CrossSiloTests.Answers expected;
        using (var directory = new TempDirectory())
        {
            await using var single = await LineageSilo.StartAsync(directory.Path);
            await single.IngestAsync(lines);
            expected = await CrossSiloTests.AnswersAsync(single.Grains, root);
        }

        var connectionString = await server.CreateDatabaseAsync();
        await using var cluster = await TestCluster.StartAsync(
            2, ClusterStorage.Postgres, connectionString, configureSilo: s => s.AddPostgresEdgeStore());
        var report = await new IntakeDispatcher(cluster.Silos[0].GrainFactory).RegisterAsync(CrossSiloTests.Parse(lines));
        Assert.Equal((lines.Count, 0), (report.Accepted + report.Duplicates, report.Refused));

        var client = await cluster.ConnectClientAsync();
        foreach (var (name, factory) in cluster.Silos.Select((s, i) => ($"silo {i}", s.GrainFactory)).Append(("client", (IGrainFactory)client)))
        {
            var answers = await CrossSiloTests.AnswersAsync(factory, root);
            Assert.True(expected.Json == answers.Json, $"{name} answered differently from a single silo");
        }
    }
}
