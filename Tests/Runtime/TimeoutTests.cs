using Lineage.Runtime;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;

namespace Lineage.Tests.Runtime;

public sealed class TimeoutTests
{
    [Fact]
    public async Task Call_that_never_completes_times_out_after_the_request_timeout()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(o => o.RequestTimeout = TimeSpan.FromSeconds(10), time);
        var grain = silo.GrainFactory.GetGrain<IHangingGrain>("stuck");

        var hanging = grain.Hang();
        var queuedBehind = grain.Quick();
        await Poll.UntilAsync(
            () => silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out var a) && a!.RunningCount == 1,
            "Hang is running");
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(hanging.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(2));
        var running = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => hanging);
        var waiting = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => queuedBehind);

        Assert.Contains("hanging/stuck", running.Message, StringComparison.Ordinal);
        Assert.Contains("while the grain was executing it", running.Message, StringComparison.Ordinal);
        Assert.Contains("before the grain started it", waiting.Message, StringComparison.Ordinal);
        Assert.Equal("Lineage.Tests.Runtime.Grains.IHangingGrain.Quick", waiting.Method);

        // The grain is still stuck in its turn; shutdown gives up on it after the shutdown timeout instead of hanging.
        var stopping = silo.StopAsync();
        await Poll.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(15));
                return stopping.IsCompleted;
            },
            "the silo stops despite the stuck grain");
        await stopping;
    }

    [Fact]
    public void Default_request_timeout_is_thirty_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new Lineage.Runtime.Hosting.SiloOptions().RequestTimeout);
    }

    [Fact]
    public async Task Invalid_options_are_refused_at_start_up_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => TestSilo.StartAsync(o => o.RequestTimeout = TimeSpan.Zero));
        Assert.Contains("Silo:RequestTimeout", error.Message, StringComparison.Ordinal);
    }
}

public sealed class CallCycleTests
{
    [Fact]
    public async Task Cycle_back_into_a_waiting_non_reentrant_grain_fails_fast_naming_the_cycle()
    {
        await using var silo = await TestSilo.StartAsync();
        var a = silo.GrainFactory.GetGrain<ICycleGrain>("a");

        var error = await Assert.ThrowsAsync<DeadlockException>(() => a.Relay(["b", "a"]));

        Assert.Equal("cycle/a -> cycle/b -> cycle/a", error.Cycle);
        Assert.Contains("cycle/a -> cycle/b -> cycle/a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grain_calling_itself_is_a_cycle_too()
    {
        await using var silo = await TestSilo.StartAsync();
        var error = await Assert.ThrowsAsync<DeadlockException>(() => silo.GrainFactory.GetGrain<ICycleGrain>("self").Relay(["self"]));

        Assert.Equal("cycle/self -> cycle/self", error.Cycle);
    }

    [Fact]
    public async Task Chain_without_a_cycle_is_not_mistaken_for_one()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.Equal("x>y>z>w", await silo.GrainFactory.GetGrain<ICycleGrain>("x").Relay(["y", "z", "w"]));
    }

    [Fact]
    public async Task Reentrant_grains_may_call_back_into_themselves()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.Equal("a>b>a>b", await silo.GrainFactory.GetGrain<IReentrantCycleGrain>("a").Relay(["b", "a", "b"]));
    }
}

public sealed class ExceptionTests
{
    [Fact]
    public async Task Exception_thrown_by_a_grain_reaches_the_caller_with_its_type_and_message()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IFaultyGrain>("f");

        var thrown = await Assert.ThrowsAsync<ProbeException>(() => grain.Throw("synchronous failure"));
        Assert.Equal("synchronous failure", thrown.Message);

        var afterAwait = await Assert.ThrowsAsync<ProbeException>(async () => await grain.ThrowAfterAwait("asynchronous failure"));
        Assert.Equal("asynchronous failure", afterAwait.Message);
    }

    [Fact]
    public async Task Grain_keeps_serving_after_a_call_fails()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IFaultyGrain>("f");

        await Assert.ThrowsAsync<ProbeException>(() => grain.Throw("x"));

        Assert.Equal(7, await grain.Succeed(7));
    }
}
