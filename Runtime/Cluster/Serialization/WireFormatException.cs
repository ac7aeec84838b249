namespace Lineage.Runtime.Cluster.Serialization;

/// <summary>A message could not be read: it is truncated, oversized or not in Lineage's wire format.</summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception with a message saying what was wrong.</summary>
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
