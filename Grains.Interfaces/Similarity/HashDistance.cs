namespace Lineage.Grains.Similarity;

/// <summary>An indexed PDQ hash (four words in hexadecimal order) and its Hamming distance from a query.</summary>
public sealed record HashDistance(ulong W0, ulong W1, ulong W2, ulong W3, int Distance);
