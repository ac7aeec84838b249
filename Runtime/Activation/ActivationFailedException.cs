namespace Lineage.Runtime;

/// <summary>A grain could not be activated (its constructor, state read or OnActivateAsync threw); the next call tries again.</summary>
public sealed class ActivationFailedException(GrainId grainId, Exception innerException)
    : Exception($"Activation of grain {grainId} failed: {innerException.GetType().Name}: {innerException.Message}", innerException)
{
    /// <summary>The grain that failed to activate.</summary>
    public GrainId GrainId { get; } = grainId;
}
