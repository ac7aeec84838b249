namespace Lineage.Runtime;

/// <summary>A grain call did not complete within the request timeout (<see cref="Hosting.SiloOptions.RequestTimeout"/>).</summary>
/// <remarks>The grain may still finish the work; the caller has stopped waiting for it.</remarks>
public sealed class GrainCallTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for a call to <paramref name="method"/> of <paramref name="grainId"/>.</summary>
    public GrainCallTimeoutException(GrainId grainId, string method, TimeSpan timeout, bool started)
        : base($"Call to {method} on grain {grainId} timed out after {timeout.TotalSeconds:0.###} s " +
               (started ? "while the grain was executing it." : "before the grain started it (the grain was busy with earlier requests)."))
    {
        GrainId = grainId;
        Method = method;
    }

    /// <summary>Recreates the exception from another silo's message.</summary>
    internal GrainCallTimeoutException(string message)
        : base(message)
    {
        Method = string.Empty;
    }

    /// <summary>The grain that was called.</summary>
    public GrainId GrainId { get; }

    /// <summary>The method that was called, as Interface.Method.</summary>
    public string Method { get; }
}
