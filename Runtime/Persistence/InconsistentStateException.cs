namespace Lineage.Runtime.Persistence;

/// <summary>A write was refused because the stored version is not the one the writer read: the write would have lost another's update.</summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception for a refused write.</summary>
    public InconsistentStateException(GrainId grainId, string stateName, long expectedVersion, long storedVersion)
        : base($"Write of state '{stateName}' of grain {grainId} refused: expected stored version {expectedVersion}, found {storedVersion}. Another activation wrote first; re-read the state and retry.")
    {
        GrainId = grainId;
        StateName = stateName;
        ExpectedVersion = expectedVersion;
        StoredVersion = storedVersion;
    }

    /// <summary>Creates the exception with a message only (for deserialised or wrapped errors).</summary>
    public InconsistentStateException(string message)
        : base(message)
    {
        StateName = string.Empty;
    }

    /// <summary>The grain whose write was refused.</summary>
    public GrainId GrainId { get; }

    /// <summary>The state object whose write was refused.</summary>
    public string StateName { get; }

    /// <summary>The version the writer believed was stored.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version actually stored (0: none).</summary>
    public long StoredVersion { get; }
}
