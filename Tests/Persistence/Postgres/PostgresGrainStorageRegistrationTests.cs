using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Hosting;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lineage.Tests.Persistence.Postgres;

[Collection(PostgresServer.Collection)]
public sealed class PostgresGrainStorageRegistrationTests(PostgresServer server)
{
    private static readonly GrainId Grain = GrainId.Create("account", 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_storage_is_a_keyed_singleton_opened_at_start_and_flushed_when_the_container_is_disposed()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services).AddPostgresGrainStorage(configure: o => o.ConnectionString = connectionString);
        ValueTask<long> pending;
        await using (var provider = services.BuildServiceProvider())
        {
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(Ct);
            }

            var storage = provider.GetRequiredKeyedService<IGrainStorage>("Default");
            Assert.IsType<PostgresGrainStorage>(storage);
            Assert.Same(storage, provider.GetRequiredKeyedService<IGrainStorage>("Default"));
            pending = storage.WriteAsync(Grain, "balance", 0, "queued"u8.ToArray(), Ct);
        }

        Assert.Equal(1, await pending);
        await using var reopened = new PostgresGrainStorage("Default", new PostgresGrainStorageOptions { ConnectionString = connectionString });
        Assert.Equal("queued", Encoding.UTF8.GetString((await reopened.ReadAsync(Grain, "balance", Ct)).Payload.Span));
    }

    [Fact]
    public async Task Named_options_bind_from_configuration_and_an_unreachable_database_stops_the_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=nowhere;Timeout=2",
            ["Storage:Postgres:MaxBatchSize"] = "7",
            ["Storage:Postgres:CommitDelay"] = "00:00:00.002",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<PostgresGrainStorageOptions>("Default").Bind(configuration.GetSection(PostgresGrainStorageOptions.SectionName));
        new SiloBuilder(services).AddPostgresGrainStorage();

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<PostgresGrainStorageOptions>>().Get("Default");
        Assert.Equal(7, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(2), options.CommitDelay);

        var startup = Assert.Single(provider.GetServices<IHostedService>());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => startup.StartAsync(Ct));
        Assert.Contains("127.0.0.1:1/nowhere", refused.Message, StringComparison.Ordinal);
    }
}
