namespace Lineage.Runtime.Persistence;

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/> to be injected with the named state.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    /// <summary>The state's name, unique within the grain type.</summary>
    public string StateName { get; } = stateName;

    /// <summary>The storage provider's name; null selects the default provider ("Default").</summary>
    public string? StorageName { get; } = storageName;
}
