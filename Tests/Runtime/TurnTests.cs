using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;

namespace Lineage.Tests.Runtime;

public sealed class TurnTests
{
    [Fact]
    public async Task Non_reentrant_grain_never_runs_two_turns_at_once()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(Guid.NewGuid().ToString());

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => grain.Step(i))));

        Assert.Equal(0, await grain.GetOverlaps());
        Assert.Equal(200, (await grain.GetSequence()).Length);
    }

    [Fact]
    public async Task Requests_from_one_caller_are_executed_in_the_order_sent()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(Guid.NewGuid().ToString());

        // Sent back to back without waiting, as a pipelining caller would.
        var pending = Enumerable.Range(0, 500).Select(grain.Step).ToArray();
        await Task.WhenAll(pending);

        Assert.Equal(Enumerable.Range(0, 500), await grain.GetSequence());
    }

    [Fact]
    public async Task Reentrant_grain_interleaves_requests_at_await_points()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IReentrantGateGrain>(Guid.NewGuid().ToString());

        var waiting = grain.WaitAtGate();
        await grain.OpenGate();

        Assert.Equal("passed", await waiting);
    }

    [Fact]
    public async Task Always_interleave_method_runs_while_a_non_reentrant_turn_waits()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IGateGrain>(Guid.NewGuid().ToString());

        var waiting = grain.WaitAtGate();
        await grain.OpenGateInterleaved();

        Assert.Equal("passed", await waiting);
    }

    [Fact]
    public async Task Read_only_methods_interleave_with_each_other()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IGateGrain>(Guid.NewGuid().ToString());

        var reading = grain.ReadAtGate();
        await grain.OpenGateReadOnly();

        Assert.Equal("read", await reading);
    }

    [Fact]
    public async Task Ordinary_request_waits_for_the_running_turn_to_finish()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IGateGrain>(Guid.NewGuid().ToString());

        var waiting = grain.WaitAtGate();
        var opener = grain.OpenGate();
        var interleaved = grain.OpenGateInterleaved();

        // The interleaving opener overtakes the ordinary one, which must still wait for WaitAtGate's turn to end,
        // and so finds nothing left to open.
        await interleaved;
        Assert.Equal("passed", await waiting);
        Assert.False(await opener);
    }
}
