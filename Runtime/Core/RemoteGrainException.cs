namespace Lineage.Runtime;

/// <summary>A grain on another silo threw an exception of a type this process does not recreate; its type and message are kept.</summary>
public sealed class RemoteGrainException(string remoteType, string message) : Exception(message)
{
    /// <summary>Full name of the exception type thrown on the other silo.</summary>
    public string RemoteType { get; } = remoteType;
}
