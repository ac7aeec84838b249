using Lineage.Runtime.Persistence;

namespace Lineage.Runtime;

/// <summary>What a grain's constructor may draw on: its id, the silo's services, and its persistent state.</summary>
public interface IGrainActivationContext
{
    /// <summary>The grain being activated.</summary>
    GrainId GrainId { get; }

    /// <summary>The silo's services, for constructor injection.</summary>
    IServiceProvider Services { get; }

    /// <summary>The named state object of this grain in storage <paramref name="storageName"/> (the default provider when null);
    /// its stored value is read before <see cref="Grain.OnActivateAsync"/> runs.</summary>
    IPersistentState<TState> GetPersistentState<TState>(string stateName, string? storageName)
        where TState : new();
}
