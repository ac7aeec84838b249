using System.Collections.Concurrent;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;

namespace Lineage.Tests.Runtime.Grains;

public sealed class CounterState
{
    public int Value { get; set; }

    public List<string> History { get; set; } = [];
}

public interface IStateGrain : IGrainWithStringKey
{
    /// <summary>Sets the value and writes it durably.</summary>
    Task Set(int value);

    /// <summary>Changes the value in memory only.</summary>
    Task SetWithoutWriting(int value);

    Task<int> Get();

    Task<string?> GetEtag();

    Task<bool> GetRecordExists();

    Task Clear();

    Task<Guid> GetInstanceId();

    /// <summary>Deactivates after this call.</summary>
    Task Retire();
}

public sealed class StateGrain(
    [PersistentState("counter")] IPersistentState<CounterState> counter) : Grain, IStateGrain
{
    public static readonly ConcurrentDictionary<string, int> Deactivations = new();

    private readonly Guid _instanceId = Guid.NewGuid();

    public async Task Set(int value)
    {
        counter.State.Value = value;
        counter.State.History.Add($"set {value}");
        await counter.WriteStateAsync();
    }

    public Task SetWithoutWriting(int value)
    {
        counter.State.Value = value;
        return Task.CompletedTask;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task<string?> GetEtag() => Task.FromResult(counter.Etag);

    public Task<bool> GetRecordExists() => Task.FromResult(counter.RecordExists);

    public Task Clear() => counter.ClearStateAsync();

    public Task<Guid> GetInstanceId() => Task.FromResult(_instanceId);

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

public interface ISaveOnDeactivateGrain : IGrainWithStringKey
{
    Task Remember(string note);

    Task<string[]> GetNotes();
}

/// <summary>Keeps notes in memory and writes them only when deactivated, as a grain may choose to.</summary>
public sealed class SaveOnDeactivateGrain(
    [PersistentState("notes")] IPersistentState<List<string>> notes) : Grain, ISaveOnDeactivateGrain
{
    public Task Remember(string note)
    {
        notes.State.Add(note);
        return Task.CompletedTask;
    }

    public Task<string[]> GetNotes() => Task.FromResult(notes.State.ToArray());

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => notes.WriteStateAsync(cancellationToken);
}
