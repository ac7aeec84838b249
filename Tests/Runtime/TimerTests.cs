using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;

namespace Lineage.Tests.Runtime;

public sealed class TimerTests
{
    [Fact]
    public async Task Timer_ticks_run_as_turns_of_the_grain_until_disposed()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(timeProvider: time);
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>("t");
        await grain.StartTicking(TimeSpan.FromSeconds(5));

        for (var expected = 1; expected <= 3; expected++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            var target = expected;
            await Poll.UntilAsync(async () => await grain.GetTicks() == target, $"tick {target} has run");
        }

        await grain.StopTicking();
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(3, await grain.GetTicks());
        Assert.Equal(0, await grain.GetOverlaps());
    }
}
