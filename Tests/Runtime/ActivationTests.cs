using Lineage.Runtime;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;

namespace Lineage.Tests.Runtime;

public sealed class ActivationTests
{
    [Fact]
    public async Task Grain_is_activated_by_its_first_call_and_not_before()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Guid.NewGuid().ToString();
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);

        Assert.Equal(0, silo.ActivationCount);
        Assert.False(LifecycleGrain.Constructed.ContainsKey(key));

        Assert.Equal(key, await grain.GetKey());
        Assert.Equal(1, silo.ActivationCount);
        Assert.Equal(1, LifecycleGrain.Activated[key]);
    }

    [Fact]
    public async Task One_hundred_concurrent_first_calls_meet_one_activation()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Guid.NewGuid().ToString();

        // Separate references, as independent callers would hold.
        var calls = Enumerable.Range(0, 100)
            .Select(_ => Task.Run(() => silo.GrainFactory.GetGrain<ILifecycleGrain>(key).GetInstanceId()))
            .ToArray();
        var instanceIds = await Task.WhenAll(calls);

        Assert.Single(instanceIds.Distinct());
        Assert.Equal(1, LifecycleGrain.Constructed[key]);
        Assert.Equal(1, LifecycleGrain.Activated[key]);
        Assert.Equal(1, silo.ActivationCount);
    }

    [Fact]
    public async Task Guid_and_integer_keys_reach_the_grain_as_given()
    {
        await using var silo = await TestSilo.StartAsync();
        var guid = Guid.NewGuid();

        Assert.Equal(guid, await silo.GrainFactory.GetGrain<IGuidKeyedGrain>(guid).GetKey());
        Assert.Equal(-42L, await silo.GrainFactory.GetGrain<IIntegerKeyedGrain>(-42).GetKey());
    }

    [Fact]
    public async Task Failed_activation_fails_waiting_calls_and_the_next_call_retries()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IBrokenActivationGrain>(Guid.NewGuid().ToString());

        var error = await Assert.ThrowsAsync<ActivationFailedException>(() => grain.Get());
        Assert.IsType<ProbeException>(error.InnerException);
        Assert.Contains("first activation fails", error.Message, StringComparison.Ordinal);

        Assert.Equal(2, await grain.Get());
    }

    [Fact]
    public async Task Unknown_grain_interface_is_refused_with_a_clear_error()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.GrainFactory.GetGrain<INotAGrainImplementation>("x"));
        Assert.Contains(nameof(INotAGrainImplementation), error.Message, StringComparison.Ordinal);
    }
}

/// <summary>A grain interface no class implements.</summary>
public interface INotAGrainImplementation : IGrainWithStringKey
{
    Task Nothing();
}
