namespace Lineage.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReasonCode
{
    /// <summary>It was idle for longer than the collection age.</summary>
    ActivationIdle,

    /// <summary>The silo was over its activation cap or memory limit; the least recently used went first.</summary>
    CapacityPressure,

    /// <summary>The grain asked for it (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    ApplicationRequested,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>Activation failed; the grain never served a request.</summary>
    ActivationFailed,

    /// <summary>The cluster's membership changed and another silo now owns the grain; it re-activates there on its next call.</summary>
    PlacementChanged,

    /// <summary>The cluster declared this silo dead; its grains already live on other silos.</summary>
    SiloDeclaredDead,
}

/// <summary>Why an activation is being deactivated, with a human-readable description.</summary>
public readonly record struct DeactivationReason(DeactivationReasonCode Code, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Description}";
}
