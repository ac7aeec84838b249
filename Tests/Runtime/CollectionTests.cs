using Lineage.Runtime;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;

namespace Lineage.Tests.Runtime;

public sealed class CollectionTests
{
    [Fact]
    public async Task Idle_grain_is_collected_after_the_collection_age_and_reactivates_from_storage()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(
            o =>
            {
                o.CollectionAge = TimeSpan.FromMinutes(10);
                o.CollectionQuantum = TimeSpan.FromMinutes(1);
            },
            time);
        var key = Guid.NewGuid().ToString();
        var grain = silo.GrainFactory.GetGrain<IStateGrain>(key);
        await grain.Set(5);
        await grain.SetWithoutWriting(99);
        var firstInstance = await grain.GetInstanceId();

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(1, silo.ActivationCount);

        time.Advance(TimeSpan.FromMinutes(2));
        await Poll.UntilAsync(() => silo.ActivationCount == 0, "the idle grain is collected");
        Assert.Equal(1, StateGrain.Deactivations[key]);

        // Deactivation wrote nothing the grain did not write itself: the unsaved 99 is gone, the saved 5 is back.
        Assert.Equal(5, await grain.Get());
        Assert.NotEqual(firstInstance, await grain.GetInstanceId());
    }

    [Fact]
    public async Task Recently_used_grain_is_not_collected()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(o => o.CollectionAge = TimeSpan.FromMinutes(10), time);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(Guid.NewGuid().ToString());
        var instance = await grain.GetInstanceId();

        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMinutes(6));
            Assert.Equal(instance, await grain.GetInstanceId());
        }
    }

    [Fact]
    public async Task Over_the_activation_cap_the_least_recently_used_are_collected_first()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(o => o.MaxActivations = 10, time);
        var keys = Enumerable.Range(0, 10).Select(i => $"cap-{Guid.NewGuid():N}-{i}").ToArray();
        foreach (var key in keys)
        {
            await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).GetKey();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // Touch the five oldest again so that the five newest become the least recently used.
        foreach (var key in keys.Take(5))
        {
            await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).GetKey();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // The eleventh activation crosses the cap: the silo collects down to 90% of it (9 activations).
        await silo.GrainFactory.GetGrain<ILifecycleGrain>($"cap-{Guid.NewGuid():N}-new").GetKey();
        await Poll.UntilAsync(() => silo.ActivationCount <= 9, "the silo is back under its activation cap");

        var collected = keys.Where(k => LifecycleGrain.Deactivated.ContainsKey(k)).ToArray();
        Assert.Equal(2, collected.Length);
        Assert.All(collected, k => Assert.Contains(k, keys.Skip(5).Take(2)));
        Assert.All(collected, k => Assert.Equal(DeactivationReasonCode.CapacityPressure, LifecycleGrain.Deactivated[k]));
    }

    [Fact]
    public async Task Over_the_memory_limit_idle_activations_are_collected_least_recently_used_first()
    {
        var time = new ManualTimeProvider();

        // A one-byte limit is always exceeded, so every collection pass finds the silo under memory pressure.
        await using var silo = await TestSilo.StartAsync(
            o =>
            {
                o.MemoryLimitBytes = 1;
                o.CapacityTarget = 0.5;
            },
            time);
        var keys = Enumerable.Range(0, 10).Select(i => $"mem-{Guid.NewGuid():N}-{i}").ToArray();
        foreach (var key in keys)
        {
            await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).GetKey();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        time.Advance(new Lineage.Runtime.Hosting.SiloOptions().CollectionQuantum);
        await Poll.UntilAsync(() => silo.ActivationCount == 5, "half the activations are collected");

        Assert.All(keys.Take(5), k => Assert.Equal(DeactivationReasonCode.CapacityPressure, LifecycleGrain.Deactivated[k]));
        Assert.All(keys.Skip(5), k => Assert.False(LifecycleGrain.Deactivated.ContainsKey(k)));
    }

    [Fact]
    public async Task Deactivate_on_idle_deactivates_after_the_call_and_the_next_call_gets_a_new_activation()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Guid.NewGuid().ToString();
        var grain = silo.GrainFactory.GetGrain<IStateGrain>(key);
        var first = await grain.GetInstanceId();

        await grain.Retire();
        await Poll.UntilAsync(() => StateGrain.Deactivations.ContainsKey(key), "the grain deactivates");

        Assert.NotEqual(first, await grain.GetInstanceId());
    }
}
