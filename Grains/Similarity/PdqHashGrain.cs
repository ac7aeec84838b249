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

    /// <inheritdoc />
    public Task<string?> GetGroupParent() => Task.FromResult(state.State.GroupParent);

    /// <inheritdoc />
    public async Task AddGroupMember(string memberHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memberHash);
        var members = state.State.GroupMembers;
        var at = members.BinarySearch(memberHash, StringComparer.Ordinal);
        if (at < 0)
        {
            members.Insert(~at, memberHash);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Memory must not list a member that storage lost; the caller's retry records it again.
                members.Remove(memberHash);
                throw;
            }
        }
    }

    /// <inheritdoc />
    public async Task<string?> LinkUnder(string parentHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentHash);
        var self = GetPrimaryKeyString();

        // Links only ever point at a strictly smaller hash, so the forest has no cycles and a representative is its group's minimum.
        if (string.CompareOrdinal(parentHash, self) >= 0)
        {
            throw new ArgumentException($"hash {self} can only be linked under a smaller hash, not {parentHash}", nameof(parentHash));
        }

        if (state.State.GroupParent is { } existing)
        {
            return existing;
        }

        state.State.GroupParent = parentHash;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.GroupParent = null;
            throw;
        }

        return null;
    }

    /// <inheritdoc />
    public Task<PdqGroupNode> GetGroupNode() => Task.FromResult(
        new PdqGroupNode(state.State.GroupParent, state.State.Quality, [.. state.State.Owners], [.. state.State.GroupMembers]));
}
