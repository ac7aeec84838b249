using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lineage.Grains.Intake;
using Lineage.Runtime;
using Lineage.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Domain;

/// <summary>The real silo (SiloApplication: lineage grains, edge store, HTTP API) on loopback, over a data directory that a
/// successor can reopen.</summary>
public sealed class LineageSilo : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;

    private LineageSilo(WebApplication app)
    {
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public HttpClient Http { get; }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    public static async Task<LineageSilo> StartAsync(string dataDirectory, params string[] extraArgs)
    {
        var app = SiloApplication.Create(
            ["--Urls", "http://127.0.0.1:0", "--Storage:Sqlite:DataDirectory", dataDirectory, "--Logging:LogLevel:Default", "Warning", .. extraArgs]);
        await app.StartAsync();
        return new LineageSilo(app);
    }

    /// <summary>Posts NDJSON lines to the intake endpoint and returns its report (failing the test on a non-success status).</summary>
    public async Task<IntakeReport> IngestAsync(IEnumerable<string> lines)
    {
        using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson");
        using var response = await Http.PostAsync("/api/lineage/sightings", content, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IntakeReport>(Json, TestContext.Current.CancellationToken))!;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
