using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>What a connection hands the requests it reads to: the silo's runtime. Clients have none and refuse requests.</summary>
internal interface IIncomingRequestHandler
{
    /// <summary>Turns grain references in arguments back into proxies.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>Finds a method by its interface's wire id and its index, or null if this process does not know it.</summary>
    MethodDescriptor? FindMethod(int interfaceId, int methodIndex);

    /// <summary>Delivers a request read off a connection; its <see cref="RequestBase.ResponseSink"/> is already set.</summary>
    void Deliver(RequestBase request);

    /// <summary>Whether this silo has crashed (in tests, or after a fatal error): its connections must stop answering probes.</summary>
    bool HasCrashed { get; }

    /// <summary>Re-reads the membership table after a peer announced a change; completes once the view is current.</summary>
    Task OnMembershipChangedAsync();
}
