namespace Lineage.Runtime.Persistence;

/// <summary>A durable store of grain state records, versioned for optimistic concurrency.</summary>
/// <remarks>
/// Implementations: SQLite (embedded default) and PostgreSQL (cluster). Versions only grow: the first write or clear of a record
/// makes version 1, and clearing keeps a tombstone so that a version is never handed out twice for the same record (after a clear
/// the record has a version but no payload).
/// <para>The storage may hold on to a payload until its write completes; the caller must not change it meanwhile.</para>
/// <para>Cancellation withdraws a write or clear only while it is still queued; once it is part of a transaction the caller gets
/// the real outcome, because abandoning a write that then happened would leave the caller with the wrong version.</para>
/// <para>A write that fails with anything other than <see cref="InconsistentStateException"/> has an unknown outcome (a connection
/// can drop during COMMIT); versioning keeps that safe, since the writer's next write is refused until it re-reads.</para>
/// </remarks>
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
