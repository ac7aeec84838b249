namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>The first byte of every frame after its length.</summary>
internal enum MessageKind : byte
{
    /// <summary>A call that expects a response.</summary>
    Request = 1,

    /// <summary>A call whose caller does not wait.</summary>
    OneWayRequest = 2,

    /// <summary>A call's result.</summary>
    Response = 3,

    /// <summary>A call's failure.</summary>
    Error = 4,

    /// <summary>A liveness probe.</summary>
    Ping = 5,

    /// <summary>The answer to a probe.</summary>
    Pong = 6,
}
