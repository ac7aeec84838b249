namespace Lineage.Grains.Similarity;

/// <summary>The near-duplicate index was built with another partition count than this silo is configured with; the message names
/// both and the way out.</summary>
public sealed class NearDuplicateIndexMismatchException(string message) : InvalidOperationException(message);
