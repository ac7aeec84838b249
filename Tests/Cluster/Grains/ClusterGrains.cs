using Lineage.Runtime;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Persistence;

namespace Lineage.Tests.Cluster.Grains;

public sealed class TallyState
{
    public long Value { get; set; }
}

/// <summary>A durable counter that says where it runs, for placement and failover tests.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    /// <summary>Adds one, durably, and returns the new value.</summary>
    Task<long> Increment();

    [ReadOnly]
    Task<long> Get();

    /// <summary>The silo this activation runs on.</summary>
    [ReadOnly]
    Task<string> WhereAmI();

    /// <summary>Identifies this activation.</summary>
    [ReadOnly]
    Task<Guid> ActivationId();

    /// <summary>Calls another tally grain, to cross silos from inside grain code.</summary>
    Task<long> IncrementOther(ITallyGrain other);

    /// <summary>Answers only once the test opens this grain's gate (<see cref="TallyGrain.OpenGate"/>), for timeout tests.</summary>
    Task<long> AnswerWhenGateOpens();
}

public sealed class TallyGrain([PersistentState("tally")] IPersistentState<TallyState> tally, ILocalSiloDetails silo) : Grain, ITallyGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    public async Task<long> Increment()
    {
        tally.State.Value++;
        await tally.WriteStateAsync();
        return tally.State.Value;
    }

    public Task<long> Get() => Task.FromResult(tally.State.Value);

    public Task<string> WhereAmI() => Task.FromResult(silo.SiloAddress.ToString());

    public Task<Guid> ActivationId() => Task.FromResult(_activationId);

    public Task<long> IncrementOther(ITallyGrain other) => other.Increment();

    // Gates are per grain key and live in the test process; every silo of a test cluster runs in it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<long>> Gates = new();

    public Task<long> AnswerWhenGateOpens() => Gate(this.GetPrimaryKeyString()).Task;

    /// <summary>Lets the waiting call of grain <paramref name="key"/> answer.</summary>
    public static void OpenGate(string key) => Gate(key).TrySetResult(0);

    private static TaskCompletionSource<long> Gate(string key) => Gates.GetOrAdd(key, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>A per-silo service: each activation lives on the silo its key names.</summary>
public interface ISiloProbeGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<string> WhereAmI();
}

[SiloBound]
public sealed class SiloProbeGrain(ILocalSiloDetails silo) : Grain, ISiloProbeGrain
{
    public Task<string> WhereAmI() => Task.FromResult(silo.SiloAddress.ToString());
}
