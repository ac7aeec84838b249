using System.Collections.Concurrent;
using Lineage.Runtime;

namespace Lineage.Tests.Runtime.Grains;

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<Guid> GetInstanceId();

    Task<string> GetKey();
}

public interface IGuidKeyedGrain : IGrainWithGuidKey
{
    Task<Guid> GetKey();
}

public interface IIntegerKeyedGrain : IGrainWithIntegerKey
{
    Task<long> GetKey();
}

/// <summary>Counts its own constructions, activations and deactivations per key, so tests can check single activation.</summary>
public sealed class LifecycleGrain : Grain, ILifecycleGrain
{
    public static readonly ConcurrentDictionary<string, int> Constructed = new();
    public static readonly ConcurrentDictionary<string, int> Activated = new();
    public static readonly ConcurrentDictionary<string, DeactivationReasonCode> Deactivated = new();

    private readonly Guid _instanceId = Guid.NewGuid();

    public LifecycleGrain()
    {
        Constructed.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Yield so that concurrent first calls pile up while the activation is in progress.
        await Task.Yield();
        Activated.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivated[GetPrimaryKeyString()] = reason.Code;
        return Task.CompletedTask;
    }

    public Task<Guid> GetInstanceId() => Task.FromResult(_instanceId);

    public Task<string> GetKey() => Task.FromResult(GetPrimaryKeyString());
}

public sealed class GuidKeyedGrain : Grain, IGuidKeyedGrain
{
    public Task<Guid> GetKey() => Task.FromResult(GetPrimaryKey());
}

public sealed class IntegerKeyedGrain : Grain, IIntegerKeyedGrain
{
    public Task<long> GetKey() => Task.FromResult(GetPrimaryKeyLong());
}
