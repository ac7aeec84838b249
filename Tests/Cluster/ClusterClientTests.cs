using Lineage.Runtime;
using Lineage.Runtime.Client;
using Lineage.Tests.Cluster.Grains;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Cluster;

public sealed class ClusterClientTests
{
    [Fact]
    public async Task When_its_gateway_dies_the_client_moves_to_the_next_one_and_keeps_calling()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var client = await cluster.ConnectClientAsync();
        var first = cluster.Silos[0];
        Assert.Equal(first.Address.ToString(), client.CurrentGateway);

        // A grain the dying gateway does not own, so its answer does not also wait for failure detection.
        var key = Enumerable.Range(0, 100).Select(i => "gw-" + i).First(k => first.OwnerOf(client.GetGrain<ITallyGrain>(k).GetGrainId()) != first.Address);
        var grain = client.GetGrain<ITallyGrain>(key);
        Assert.Equal(1, await grain.Increment());

        await first.CrashAsync();

        // A call that was in flight, or sent before the client saw the close, fails as unavailable; the next one reconnects.
        long value = 0;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    value = await grain.Increment();
                    return true;
                }
                catch (SiloUnavailableException)
                {
                    return false;
                }
            },
            "a call succeeds through another gateway");
        Assert.Equal(2, value);
        Assert.NotEqual(first.Address.ToString(), client.CurrentGateway);
    }

    [Fact]
    public async Task A_call_without_an_answer_times_out_cleanly_and_the_client_keeps_working()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var time = new ManualTimeProvider();
        var options = cluster.ClientOptions();
        options.RequestTimeout = TimeSpan.FromSeconds(5);
        await using var client = await ClusterClient.ConnectAsync(options, timeProvider: time, cancellationToken: TestContext.Current.CancellationToken);

        var gate = "stuck-" + Guid.NewGuid().ToString("N");
        var stuck = client.GetGrain<ITallyGrain>(gate).AnswerWhenGateOpens();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(stuck.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var timeout = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => stuck);
        Assert.Contains("AnswerWhenGateOpens", timeout.Message);
        Assert.Equal(1, await client.GetGrain<ITallyGrain>("free").Increment());

        // The late answer reaches a client that stopped waiting; it is dropped, and the grain is free again.
        TallyGrain.OpenGate(gate);
        Assert.Equal(1, await client.GetGrain<ITallyGrain>(gate).Increment());
    }

    [Fact]
    public async Task Connecting_when_no_gateway_answers_names_each_gateway_and_why()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        var options = cluster.ClientOptions();
        options.Gateways.Clear();
        options.Gateways.Add("127.0.0.1:1");
        options.Gateways.Add("127.0.0.1:2");

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => ClusterClient.ConnectAsync(options, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.Contains("127.0.0.1:2", error.Message);
    }
}
