using Lineage.Runtime;
using Lineage.Runtime.Persistence;

namespace Lineage.Grains.Similarity;

/// <summary>One distinct PDQ hash and the owners (content item, post) it was seen with.</summary>
/// <remarks>The index partitions hold bare hashes, so that ten million of them fit in memory; what each belongs to lives here and is
/// read only for the few hashes a search returns.</remarks>
public sealed class PdqHashGrain([PersistentState("pdq-hash")] IPersistentState<PdqHashState> state) : Grain, IPdqHashGrain
{
    /// <inheritdoc />
    public async Task<PdqHashRegistration> AddOwner(PdqOwner owner, int quality)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner.ContentFingerprint);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner.PostKey);
        var current = state.State;
        var newOwner = !current.Owners.Contains(owner);
        if (newOwner || quality > current.Quality)
        {
            if (newOwner)
            {
                current.Owners.Add(owner);
            }

            current.Quality = Math.Max(current.Quality, quality);
            await state.WriteStateAsync();
        }

        return new PdqHashRegistration(current.Indexed, newOwner);
    }

    /// <inheritdoc />
    public async Task MarkIndexed()
    {
        if (!state.State.Indexed)
        {
            state.State.Indexed = true;
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<PdqHashOwners> GetOwners() => Task.FromResult(new PdqHashOwners(state.State.Quality, [.. state.State.Owners]));
}
