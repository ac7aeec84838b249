using System.Text.Json;
using Lineage.Tests.Cluster.Grains;
using Lineage.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Lineage.Tests.Dashboard;

/// <summary>The page in a real browser (Debian's chromium, driven by Playwright): what it shows must be what the JSON API says.</summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots");

    [Fact]
    public async Task The_page_matches_the_api_and_drills_into_a_grain_type_and_a_silo_of_a_two_silo_cluster()
    {
        await using var cluster = await DashboardSilos.StartAsync(2);
        var (a, b) = (cluster.Silos[0], cluster.Silos[1]);
        using var http = a.Http();
        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        // Calls made while the page is open: the charts and rates have something to show.
        await page.GotoAsync(new Uri(a.BaseAddress, "/dashboard").ToString());
        await page.WaitForSelectorAsync("#silos");
        await CallProbeAsync(a, a, times: 3);
        await CallProbeAsync(a, b, times: 5);
        var api = await DashboardApiTests.GetAsync(http, "/api/dashboard/cluster");
        var expected = api.GetProperty("silos").EnumerateArray()
            .Select(s => s.GetProperty("address").GetString() + "=" + s.GetProperty("calls").GetInt64())
            .Order().ToList();
        Assert.Equal(2, expected.Count);
        await Poll.UntilAsync(
            async () => (await RowsAsync(page, "#silos tbody tr", "silo")).Order().SequenceEqual(expected),
            "the silo table lists " + string.Join(", ", expected));
        await Poll.UntilAsync(
            async () => await page.Locator(".chart svg path").CountAsync() > 0,
            "the charts draw the sampled seconds");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "overview.png"), FullPage = true });

        await page.ClickAsync("nav a[data-nav=grains]");
        var grains = await DashboardApiTests.GetAsync(http, "/api/dashboard/grains");
        var probe = grains.GetProperty("grainTypes").EnumerateArray().Single(t => t.GetProperty("grainType").GetString() == "siloprobe");
        await Poll.UntilAsync(
            async () => (await RowsAsync(page, "#grains tbody tr", "grainRow")).Contains("siloprobe=" + probe.GetProperty("calls").GetInt64()),
            "the grains table shows siloprobe with the API's call count");

        await page.ClickAsync("a[data-grain-type=siloprobe]");
        await page.WaitForSelectorAsync("#grain-type-title");
        Assert.Contains("siloprobe", await page.InnerTextAsync("#grain-type-title"));
        var method = probe.GetProperty("methods").EnumerateArray().Single();
        await Poll.UntilAsync(
            async () => (await RowsAsync(page, "#methods tbody tr", "method")).SequenceEqual(["WhereAmI=" + method.GetProperty("calls").GetInt64()]),
            "the methods table shows WhereAmI with the API's call count");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "grain-type.png"), FullPage = true });

        await page.ClickAsync($"a[data-silo-link='{b.Address}']");
        await page.WaitForSelectorAsync("#silo-title");
        Assert.Contains(b.Address, await page.InnerTextAsync("#silo-title"));
        Assert.Contains("ACTIVE", (await page.InnerTextAsync("#silo-title")).ToUpperInvariant());
        await Poll.UntilAsync(
            async () => (await RowsAsync(page, "#grains tbody tr", "grainRow")).SequenceEqual(["siloprobe=5"]),
            "the silo page shows the 5 calls made on that silo");
        await page.WaitForSelectorAsync("#log, #log-empty");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "silo.png"), FullPage = true });

        // A silo that leaves is shown dead on the overview, in words as well as colour.
        await cluster.StopAsync(b);
        await page.ClickAsync("nav a[data-nav=overview]");
        await page.WaitForSelectorAsync("#dead-banner", new() { Timeout = (float)Poll.DefaultTimeout.TotalMilliseconds });
        Assert.Contains(b.Address, await page.InnerTextAsync("#dead-banner"));
        Assert.Equal("DEAD", (await page.InnerTextAsync($"tr[data-silo='{b.Address}'] .status")).ToUpperInvariant());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "overview-dead-silo.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_fresh_silo_shows_itself_and_empty_states_that_say_what_to_do_then_its_intake()
    {
        await using var cluster = await DashboardSilos.StartAsync(1);
        var a = cluster.Silos[0];
        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(new Uri(a.BaseAddress, "/dashboard").ToString());
        await Poll.UntilAsync(
            async () => (await RowsAsync(page, "#silos tbody tr", "silo")).SequenceEqual([a.Address + "=0"]),
            "the overview lists the one silo with no calls");

        await page.ClickAsync("nav a[data-nav=grains]");
        await page.WaitForSelectorAsync("#no-grains");
        Assert.Contains("No grain calls yet", await page.InnerTextAsync("#no-grains"));

        await page.ClickAsync("nav a[data-nav=intake]");
        await page.WaitForSelectorAsync("#no-intake");
        Assert.Contains("POST /api/lineage/sightings", await page.InnerTextAsync("#no-intake"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "intake-empty.png"), FullPage = true });

        // Sightings arrive: the intake page fills in with the same figures as its API.
        using var http = a.Http();
        using var content = new StringContent(
            """
            {"platform":"twitter","postId":"b1","account":"alice","observedAt":"2024-05-01T12:00:00Z","pdq":"d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22","pdqQuality":90}
            {"platform":"twitter","postId":"b2","account":"bob","observedAt":"not a time"}
            """,
            System.Text.Encoding.UTF8,
            "application/x-ndjson");
        (await http.PostAsync(new Uri("/api/lineage/sightings", UriKind.Relative), content, TestContext.Current.CancellationToken)).Dispose();
        await page.WaitForSelectorAsync("#reasons");
        Assert.Contains("observedAt", await page.InnerTextAsync("#reasons"));
        Assert.Equal("1", (await page.InnerTextAsync("[data-card='Accepted total'] .value")).Trim());

        // Lineage totals come from the shared storage and are recounted at most every 10 s, so the empty count may be shown first.
        await Poll.UntilAsync(
            async () => (await page.InnerTextAsync("[data-card='Posts seen'] .value")).Trim() == "1"
                && (await page.InnerTextAsync("[data-card='Accounts'] .value")).Trim() == "1"
                && (await page.InnerTextAsync("[data-card='Perceptual hashes'] .value")).Trim() == "1",
            "the lineage totals count the accepted sighting's post, account and PDQ hash");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "intake.png"), FullPage = true });
        Assert.Empty(errors);
    }

    private static async Task<IBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run scripts/setup.sh (as root) to install Debian's chromium package.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        browser.Disconnected += (_, _) => playwright.Dispose();
        return browser;
    }

    /// <summary>Each row's data-{key} attribute and its calls cell's raw value, as "key=calls".</summary>
    private static async Task<IReadOnlyList<string>> RowsAsync(IPage page, string rows, string key)
    {
        var found = await page.Locator(rows).EvaluateAllAsync<JsonElement>(
            $"rows => rows.map(r => r.dataset.{key} + '=' + (r.querySelector('[data-field=calls]')?.dataset.value ?? ''))");
        return found.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static async Task CallProbeAsync(DashboardSilo caller, DashboardSilo target, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await caller.GrainFactory.GetGrain<ISiloProbeGrain>(target.Address).WhereAmI();
        }
    }
}
