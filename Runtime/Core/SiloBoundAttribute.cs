namespace Lineage.Runtime;

/// <summary>Places each activation of a grain class on the silo its key names (a silo address, "host:port@generation"): one per
/// silo, for per-silo services such as statistics or a log tail that must run where the figures are.</summary>
/// <remarks>Without a cluster every key activates locally. A call to a silo that is not a live member fails with
/// <see cref="SiloUnavailableException"/> instead of being placed elsewhere, and the grain never moves on a membership change.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SiloBoundAttribute : Attribute;
