using Lineage.Runtime;

namespace Lineage.Tests.Runtime.Grains;

/// <summary>An exception type only the tests know, to prove the caller gets the grain's own exception.</summary>
public sealed class ProbeException(string message) : Exception(message);

public interface IFaultyGrain : IGrainWithStringKey
{
    Task Throw(string message);

    ValueTask<int> ThrowAfterAwait(string message);

    Task<int> Succeed(int value);
}

public sealed class FaultyGrain : Grain, IFaultyGrain
{
    public Task Throw(string message) => throw new ProbeException(message);

    public async ValueTask<int> ThrowAfterAwait(string message)
    {
        await Task.Yield();
        throw new ProbeException(message);
    }

    public Task<int> Succeed(int value) => Task.FromResult(value);
}

public interface IHangingGrain : IGrainWithStringKey
{
    /// <summary>Never completes.</summary>
    Task Hang();

    Task<int> Quick();
}

public sealed class HangingGrain : Grain, IHangingGrain
{
    private readonly TaskCompletionSource _never = new();

    public Task Hang() => _never.Task;

    public Task<int> Quick() => Task.FromResult(42);
}

public interface IBrokenActivationGrain : IGrainWithStringKey
{
    Task<int> Get();
}

/// <summary>Fails OnActivateAsync the first time for each key, then activates normally.</summary>
public sealed class BrokenActivationGrain : Grain, IBrokenActivationGrain
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Attempts = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Attempts.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1) == 1)
        {
            throw new ProbeException("first activation fails");
        }

        return Task.CompletedTask;
    }

    public Task<int> Get() => Task.FromResult(Attempts[GetPrimaryKeyString()]);
}
