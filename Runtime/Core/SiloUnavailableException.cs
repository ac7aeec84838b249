namespace Lineage.Runtime;

/// <summary>The silo cannot serve the call: it is shutting down or has stopped.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);
