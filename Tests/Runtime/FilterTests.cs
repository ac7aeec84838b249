using System.Collections.Concurrent;
using Lineage.Runtime.Filters;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Runtime.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Lineage.Tests.Runtime;

public sealed class FilterTests
{
    [Fact]
    public async Task Incoming_filter_sees_every_call_inside_the_grain_and_may_replace_the_result()
    {
        await using var silo = await TestSilo.StartAsync(silo: s =>
        {
            s.Services.AddSingleton<CallLog>();
            s.AddIncomingGrainCallFilter<RedactingIncomingFilter>();
        });
        var grain = silo.GrainFactory.GetGrain<IEchoGrain>("e");

        Assert.Equal("hello", await grain.Echo("hello"));
        Assert.Equal("[redacted]", await grain.Echo("secret"));

        var log = silo.Services.GetRequiredService<CallLog>();
        Assert.Equal(["in echo/e Echo(hello)", "in echo/e Echo(secret)"], log.Entries);
    }

    [Fact]
    public async Task Outgoing_filter_sees_calls_from_outside_and_from_grains_with_their_source()
    {
        await using var silo = await TestSilo.StartAsync(silo: s =>
        {
            s.Services.AddSingleton<CallLog>();
            s.AddOutgoingGrainCallFilter<RecordingOutgoingFilter>();
        });

        Assert.Equal("hi", await silo.GrainFactory.GetGrain<IEchoGrain>("a").EchoThrough("b", "hi"));

        var log = silo.Services.GetRequiredService<CallLog>();
        Assert.Equal(["out (client) -> echo/a EchoThrough", "out echo/a -> echo/b Echo"], log.Entries);
    }

    [Fact]
    public async Task Exception_from_the_grain_passes_through_filters_to_the_caller()
    {
        await using var silo = await TestSilo.StartAsync(silo: s =>
        {
            s.Services.AddSingleton<CallLog>();
            s.AddIncomingGrainCallFilter<RedactingIncomingFilter>();
            s.AddOutgoingGrainCallFilter<RecordingOutgoingFilter>();
        });

        var error = await Assert.ThrowsAsync<ProbeException>(() => silo.GrainFactory.GetGrain<IFaultyGrain>("f").Throw("through filters"));
        Assert.Equal("through filters", error.Message);
    }
}

public sealed class CallLog
{
    private readonly ConcurrentQueue<string> _entries = new();

    public string[] Entries => [.. _entries];

    public void Add(string entry) => _entries.Enqueue(entry);
}

public sealed class RedactingIncomingFilter(CallLog log) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Method.Name == nameof(IEchoGrain.Echo))
        {
            log.Add($"in {context.TargetId} {context.Method.Name}({context.Arguments[0]})");
        }

        await context.Invoke();
        if (context.Result is "secret")
        {
            context.Result = "[redacted]";
        }
    }
}

public sealed class RecordingOutgoingFilter(CallLog log) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        log.Add($"out {context.SourceId?.ToString() ?? "(client)"} -> {context.TargetId} {context.Method.Name}");
        return context.Invoke();
    }
}
