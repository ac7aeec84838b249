namespace Lineage.Runtime.Persistence;

/// <summary>A durable store of grain state records, versioned for optimistic concurrency.</summary>
/// <remarks>Implementations: SQLite (embedded default) and PostgreSQL (cluster). Versions start at 1 with the first write and
/// only grow; clearing keeps a tombstone so that a version is never handed out twice for the same record.</remarks>
public interface IGrainStorage
{
    /// <summary>Reads a record; <see cref="GrainStateRecord.Version"/> is 0 when it was never written.</summary>
    ValueTask<GrainStateRecord> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="payload"/> if the stored version is still <paramref name="expectedVersion"/>, and returns the
    /// new version once the write is durable.</summary>
    /// <exception cref="InconsistentStateException">The stored version differs: someone else wrote first.</exception>
    ValueTask<long> WriteAsync(GrainId grainId, string stateName, long expectedVersion, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Clears the record if the stored version is still <paramref name="expectedVersion"/>, and returns the new (tombstone)
    /// version once durable.</summary>
    /// <exception cref="InconsistentStateException">The stored version differs: someone else wrote first.</exception>
    ValueTask<long> ClearAsync(GrainId grainId, string stateName, long expectedVersion, CancellationToken cancellationToken);
}

/// <summary>A stored state record: its version (0 when never written) and its payload (empty when absent or cleared).</summary>
public readonly record struct GrainStateRecord(long Version, bool Exists, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The record of a state that was never written.</summary>
    public static GrainStateRecord Missing => new(0, false, ReadOnlyMemory<byte>.Empty);
}
