using Lineage.Tests.Infrastructure;
using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Hosting;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Lineage.Tests.Persistence;

public sealed class SqliteGrainStorageRegistrationTests : IDisposable
{
    private static readonly GrainId Grain = GrainId.Create("account", 1);

    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_storage_is_a_keyed_singleton_opened_at_start_and_flushed_when_the_container_is_disposed()
    {
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services).AddSqliteGrainStorage(configure: o => o.DataDirectory = _directory.Path);
        ValueTask<long> pending;
        await using (var provider = services.BuildServiceProvider())
        {
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(Ct);
            }

            Assert.True(File.Exists(_directory.File("lineage.db")));
            var storage = provider.GetRequiredKeyedService<IGrainStorage>("Default");
            Assert.IsType<SqliteGrainStorage>(storage);
            Assert.Same(storage, provider.GetRequiredKeyedService<IGrainStorage>("Default"));
            pending = storage.WriteAsync(Grain, "balance", 0, "queued"u8.ToArray(), Ct);
        }

        Assert.Equal(1, await pending);
        await using var reopened = new SqliteGrainStorage("Default", new SqliteGrainStorageOptions { DataDirectory = _directory.Path });
        var record = await reopened.ReadAsync(Grain, "balance", Ct);
        Assert.Equal("queued", Encoding.UTF8.GetString(record.Payload.Span));
    }

    [Fact]
    public async Task Named_options_bind_from_configuration_and_each_name_gets_its_own_storage()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Sqlite:DataDirectory"] = _directory.Path,
            ["Storage:Sqlite:FileName"] = "bound.db",
            ["Storage:Sqlite:Synchronous"] = "Normal",
            ["Storage:Sqlite:MaxBatchSize"] = "7",
            ["Storage:Sqlite:CommitDelay"] = "00:00:00.002",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<SqliteGrainStorageOptions>("Default").Bind(configuration.GetSection(SqliteGrainStorageOptions.SectionName));
        new SiloBuilder(services)
            .AddSqliteGrainStorage()
            .AddSqliteGrainStorage("Archive", o =>
            {
                o.DataDirectory = _directory.Path;
                o.FileName = "archive.db";
            });

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get("Default");
        Assert.Equal(SqliteSynchronousMode.Normal, options.Synchronous);
        Assert.Equal(7, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(2), options.CommitDelay);

        var main = Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("Default"));
        var archive = Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("Archive"));
        Assert.Equal(_directory.File("bound.db"), main.DatabasePath);
        Assert.Equal(_directory.File("archive.db"), archive.DatabasePath);
    }

    [Fact]
    public async Task A_bad_data_directory_fails_host_start()
    {
        var blocker = _directory.File("not-a-directory");
        await File.WriteAllTextAsync(blocker, "x", Ct);
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services).AddSqliteGrainStorage(configure: o => o.DataDirectory = Path.Combine(blocker, "data"));

        await using var provider = services.BuildServiceProvider();
        var startup = Assert.Single(provider.GetServices<IHostedService>());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => startup.StartAsync(Ct));
        Assert.Contains(blocker, refused.Message, StringComparison.Ordinal);
    }
}
