using Lineage.Runtime;

namespace Lineage.Tests.Runtime.Grains;

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Waits until the gate is opened; completes only if another request can run meanwhile.</summary>
    Task<string> WaitAtGate();

    /// <summary>Opens the gate; may interleave with anything.</summary>
    [AlwaysInterleave]
    Task OpenGateInterleaved();

    /// <summary>Opens the gate as an ordinary (non-interleaving) request.</summary>
    Task<bool> OpenGate();

    [ReadOnly]
    Task<string> ReadAtGate();

    [ReadOnly]
    Task OpenGateReadOnly();
}

/// <summary>A non-reentrant grain whose requests block on a gate that only another request can open.</summary>
public sealed class GateGrain : Grain, IGateGrain
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string> WaitAtGate()
    {
        await _gate.Task;
        return "passed";
    }

    public Task OpenGateInterleaved()
    {
        _gate.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<bool> OpenGate()
    {
        var opened = _gate.TrySetResult();
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Task.FromResult(opened);
    }

    public async Task<string> ReadAtGate()
    {
        await _gate.Task;
        return "read";
    }

    public Task OpenGateReadOnly()
    {
        _gate.TrySetResult();
        return Task.CompletedTask;
    }
}

public interface IReentrantGateGrain : IGrainWithStringKey
{
    Task<string> WaitAtGate();

    Task OpenGate();
}

[Reentrant]
public sealed class ReentrantGateGrain : Grain, IReentrantGateGrain
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string> WaitAtGate()
    {
        await _gate.Task;
        return "passed";
    }

    public Task OpenGate()
    {
        _gate.TrySetResult();
        return Task.CompletedTask;
    }
}
