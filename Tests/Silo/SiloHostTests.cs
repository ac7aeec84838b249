using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;
using Lineage.Silo.Hosting;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Silo;

public sealed class SiloHostTests
{
    [Fact]
    public async Task Silo_serves_health_and_runtime_statistics_on_loopback()
    {
        using var directory = new TempDirectory();
        await using var app = await StartSiloAsync(directory.Path);
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        for (var i = 0; i < 3; i++)
        {
            await grains.GetGrain<IEchoGrain>("http").Echo("x");
        }

        var health = await http.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("activations").GetInt32());

        var stats = await http.GetFromJsonAsync<JsonElement>("/api/runtime/stats", TestContext.Current.CancellationToken);
        var echo = stats.GetProperty("grainTypes").EnumerateArray().Single(g => g.GetProperty("grainType").GetString() == "echo");
        var method = echo.GetProperty("methods").EnumerateArray().Single(m => m.GetProperty("method").GetString() == "Echo");
        Assert.Equal(3, method.GetProperty("calls").GetInt64());
        Assert.True(method.GetProperty("latencyMicroseconds").GetProperty("p99").GetDouble() > 0);
    }

    [Fact]
    public async Task Silo_binds_to_loopback_and_serves_its_openapi_document()
    {
        using var directory = new TempDirectory();
        await using var app = await StartSiloAsync(directory.Path);
        var address = BaseAddress(app);
        using var http = new HttpClient { BaseAddress = address };

        Assert.Equal("127.0.0.1", address.Host);
        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/health", out _));
        Assert.True(paths.TryGetProperty("/api/runtime/stats", out _));
    }

    [Fact]
    public async Task Silo_keeps_its_data_where_configured_and_state_survives_a_restart()
    {
        using var directory = new TempDirectory();
        await using (var first = await StartSiloAsync(directory.Path))
        {
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IStateGrain>("kept").Set(17);
        }

        Assert.True(File.Exists(Path.Combine(directory.Path, "lineage.db")));
        await using var second = await StartSiloAsync(directory.Path);
        Assert.Equal(17, await second.Services.GetRequiredService<IGrainFactory>().GetGrain<IStateGrain>("kept").Get());
    }

    [Fact]
    public async Task Unknown_path_gets_404_not_a_crash()
    {
        using var directory = new TempDirectory();
        await using var app = await StartSiloAsync(directory.Path);
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };

        var response = await http.GetAsync("/api/nothing-here", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Edges_kept_in_the_grain_storage_file_by_an_earlier_layout_are_refused_by_name_rather_than_left_behind()
    {
        using var directory = new TempDirectory();
        var owner = new GrainId("post", "x/1");
        string[] shared = ["--Storage:Edges:FileName", "lineage.db"];
        await using (var earlier = await StartSiloAsync(directory.Path, shared))
        {
            var rows = new[] { new EdgeRow("x/2", ReadOnlyMemory<byte>.Empty) };
            await earlier.Services.GetRequiredService<IEdgeStore>().AppendAsync(owner, "children", rows, TestContext.Current.CancellationToken);
        }

        Assert.False(File.Exists(Path.Combine(directory.Path, SqliteEdgeFile.DefaultFileName)));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartSiloAsync(directory.Path));
        Assert.Contains("Storage:Edges:FileName=lineage.db", refused.Message, StringComparison.Ordinal);

        await using var again = await StartSiloAsync(directory.Path, shared);
        var page = await again.Services.GetRequiredService<IEdgeStore>().ReadAsync(owner, "children", null, 10, TestContext.Current.CancellationToken);
        Assert.Equal("x/2", Assert.Single(page.Rows).Key);
    }

    [Fact]
    public async Task By_default_the_edges_have_their_own_file_beside_the_grain_state()
    {
        using var directory = new TempDirectory();
        await using var app = await StartSiloAsync(directory.Path);

        Assert.True(File.Exists(Path.Combine(directory.Path, "lineage.db")));
        Assert.True(File.Exists(Path.Combine(directory.Path, SqliteEdgeFile.DefaultFileName)));
    }

    private static async Task<WebApplication> StartSiloAsync(string dataDirectory, params string[] extra)
    {
        var app = SiloApplication.Create(
            ["--Urls", "http://127.0.0.1:0", "--Cluster:SiloPort", "0", "--Storage:Sqlite:DataDirectory", dataDirectory, "--Logging:LogLevel:Default", "Warning", .. extra],
            silo => silo.AddGrainAssembly(typeof(IEchoGrain).Assembly));
        await app.StartAsync();
        return app;
    }

    private static Uri BaseAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address);
    }
}
