using Lineage.Runtime;
using Lineage.Runtime.Persistence;

namespace Lineage.Grains.Similarity;

/// <summary>Keeps the partition count the near-duplicate index was built with (see <see cref="INearDuplicateIndexManifestGrain"/>).</summary>
[GrainType(GrainTypes.NearDuplicateManifest)]
public sealed class NearDuplicateIndexManifestGrain([PersistentState("manifest")] IPersistentState<NearDuplicateIndexManifest> state)
    : Grain, INearDuplicateIndexManifestGrain
{
    /// <inheritdoc />
    public async Task<int> ClaimPartitions(int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (state.State.Partitions == 0)
        {
            state.State.Partitions = partitions;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.Partitions = 0;
                throw;
            }
        }

        return state.State.Partitions;
    }

    /// <inheritdoc />
    public async Task<int> MovePartitions(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(to, 1);
        if (state.State.Partitions == from && from != to)
        {
            state.State.Partitions = to;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.Partitions = from;
                throw;
            }
        }

        return state.State.Partitions;
    }
}

/// <summary>Stored state of <see cref="NearDuplicateIndexManifestGrain"/>.</summary>
public sealed class NearDuplicateIndexManifest
{
    /// <summary>The partition count the index was built with; 0 until the first silo uses it.</summary>
    public int Partitions { get; set; }
}
