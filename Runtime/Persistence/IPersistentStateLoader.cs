namespace Lineage.Runtime.Persistence;

/// <summary>Lets the activation load every declared state object before the grain's OnActivateAsync.</summary>
internal interface IPersistentStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}
