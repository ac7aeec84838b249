namespace Lineage.Runtime.Persistence.GroupCommit;

/// <summary>Applies a batch of state operations to a database in one transaction; the provider-specific half of group commit.</summary>
/// <remarks>Called by one <see cref="GroupCommitQueue"/> loop only, never concurrently, so an implementation may own a single
/// connection and its prepared commands.</remarks>
internal interface IStateBatchExecutor
{
    /// <summary>Runs ONE transaction over <paramref name="batch"/>, in order, and records each operation's outcome with
    /// <see cref="StateOperation.SetApplied"/> or <see cref="StateOperation.SetRefused"/>; returns once the transaction has committed.</summary>
    /// <remarks>A refused operation must change nothing and must not disturb the others. Operations on the same record see the
    /// effects of earlier ones in the batch. If the transaction cannot commit, the implementation rolls it back and throws: every
    /// operation of the batch then fails with that exception, whatever outcome was recorded.</remarks>
    ValueTask ExecuteBatchAsync(IReadOnlyList<StateOperation> batch);
}
