using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Runtime;

public sealed class GrainStateTests
{
    [Fact]
    public async Task State_starts_empty_and_each_write_advances_the_etag()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IStateGrain>(Guid.NewGuid().ToString());

        Assert.False(await grain.GetRecordExists());
        Assert.Null(await grain.GetEtag());

        await grain.Set(1);
        var first = await grain.GetEtag();
        await grain.Set(2);
        var second = await grain.GetEtag();

        Assert.True(await grain.GetRecordExists());
        Assert.NotNull(first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Write_from_a_stale_version_is_refused_and_the_stored_value_survives()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Guid.NewGuid().ToString();
        var grain = silo.GrainFactory.GetGrain<IStateGrain>(key);
        await grain.Set(1);

        // Another writer (a lingering duplicate activation, say) updates the record behind the grain's back.
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var id = grain.GetGrainId();
        var stored = await storage.ReadAsync(id, "counter", CancellationToken.None);
        await storage.WriteAsync(id, "counter", stored.Version, """{"value":1000,"history":["other writer"]}"""u8.ToArray(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Set(2));
        Assert.Equal("counter", error.StateName);
        Assert.Equal(id, error.GrainId);

        var after = await storage.ReadAsync(id, "counter", CancellationToken.None);
        Assert.Contains("other writer", System.Text.Encoding.UTF8.GetString(after.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleared_state_reads_back_as_absent_after_reactivation()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Guid.NewGuid().ToString();
        var grain = silo.GrainFactory.GetGrain<IStateGrain>(key);
        await grain.Set(3);
        await grain.Clear();
        await grain.Retire();
        await Poll.UntilAsync(() => StateGrain.Deactivations.ContainsKey(key), "the grain deactivates");

        Assert.False(await grain.GetRecordExists());
        Assert.Equal(0, await grain.Get());
    }

    [Fact]
    public async Task Every_acknowledged_write_is_present_after_the_silo_is_disposed_and_restarted()
    {
        using var directory = new TempDirectory();
        var keys = Enumerable.Range(0, 300).Select(i => $"durable-{i}").ToArray();
        await using (var silo = await TestSilo.StartAsync(dataDirectory: directory.Path))
        {
            await Task.WhenAll(keys.Select((key, i) => silo.GrainFactory.GetGrain<IStateGrain>(key).Set(i + 1)));
        }

        await using var restarted = await TestSilo.StartAsync(dataDirectory: directory.Path);
        var values = await Task.WhenAll(keys.Select(key => restarted.GrainFactory.GetGrain<IStateGrain>(key).Get()));

        Assert.Equal(Enumerable.Range(1, keys.Length), values);
    }

    [Fact]
    public async Task Graceful_shutdown_runs_on_deactivate_and_what_it_writes_survives()
    {
        using var directory = new TempDirectory();
        await using (var silo = await TestSilo.StartAsync(dataDirectory: directory.Path))
        {
            var grain = silo.GrainFactory.GetGrain<ISaveOnDeactivateGrain>("notes");
            await grain.Remember("first");
            await grain.Remember("second");
        }

        await using var restarted = await TestSilo.StartAsync(dataDirectory: directory.Path);

        Assert.Equal(["first", "second"], await restarted.GrainFactory.GetGrain<ISaveOnDeactivateGrain>("notes").GetNotes());
    }
}
