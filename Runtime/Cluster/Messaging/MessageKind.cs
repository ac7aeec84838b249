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

    /// <summary>The answer to a probe or to a membership notice.</summary>
    Pong = 6,

    /// <summary>The sender changed the membership table; the receiver re-reads it and answers with a pong once its view is current,
    /// so a leaving silo knows its peers stopped routing to it before it goes.</summary>
    MembershipChanged = 7,
}
