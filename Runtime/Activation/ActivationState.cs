namespace Lineage.Runtime.Activation;

/// <summary>Life cycle of one activation.</summary>
internal enum ActivationState
{
    /// <summary>Registered in the catalog; the grain object does not exist yet.</summary>
    Created,

    /// <summary>Constructing the grain, reading its state and running OnActivateAsync; requests wait.</summary>
    Activating,

    /// <summary>Serving requests.</summary>
    Valid,

    /// <summary>Finishing running turns, then OnDeactivateAsync; new requests wait and are forwarded to the next activation.</summary>
    Deactivating,

    /// <summary>Gone from the catalog; anything sent here is re-routed.</summary>
    Invalid,
}
