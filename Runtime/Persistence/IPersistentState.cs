namespace Lineage.Runtime.Persistence;

/// <summary>A named piece of a grain's durable state, in Orleans' shape: the value, its version, and explicit read/write/clear.</summary>
/// <remarks>Nothing is written unless the grain calls <see cref="WriteStateAsync"/> or <see cref="ClearStateAsync"/>.
/// A write made from a stale version (another activation wrote since this one read) fails with
/// <see cref="InconsistentStateException"/> and changes nothing.</remarks>
public interface IPersistentState<TState>
    where TState : new()
{
    /// <summary>The current value; a new <typeparamref name="TState"/> when nothing is stored.</summary>
    TState State { get; set; }

    /// <summary>The stored version this value was read at or last written as; null when nothing was ever stored.</summary>
    string? Etag { get; }

    /// <summary>Whether a value is stored (false before the first write and after a clear).</summary>
    bool RecordExists { get; }

    /// <summary>Re-reads the stored value, discarding unsaved changes.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <see cref="State"/>; completes only once the write is durable.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the stored value and resets <see cref="State"/>; completes only once durable.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
