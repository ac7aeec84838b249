namespace Lineage.Runtime;

/// <summary>A call would close a cycle back into a non-reentrant grain that is waiting on that same cycle; it was refused instead of hanging.</summary>
public sealed class DeadlockException : Exception
{
    /// <summary>Creates the exception for the cycle described by <paramref name="cycle"/>.</summary>
    public DeadlockException(string cycle)
        : base($"Call cycle detected: {cycle}. The last grain is not reentrant and is already waiting on this chain, so the call would deadlock. " +
               "Mark the grain class [Reentrant] or the method [AlwaysInterleave] if the cycle is intended.")
    {
        Cycle = cycle;
    }

    private DeadlockException(string message, string cycle)
        : base(message)
    {
        Cycle = cycle;
    }

    /// <summary>Recreates the exception from another silo's message.</summary>
    internal static DeadlockException FromRemote(string message) => new(message, string.Empty);

    /// <summary>The grains in the cycle, outermost caller first.</summary>
    public string Cycle { get; }
}
