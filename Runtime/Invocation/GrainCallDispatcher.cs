namespace Lineage.Runtime.Invocation;

/// <summary>Delivers requests made through grain references: the silo's local runtime, or a cluster client.</summary>
/// <remarks>Public only so that generated proxies can hold one; it cannot be implemented outside the runtime.</remarks>
public abstract class GrainCallDispatcher
{
    private protected GrainCallDispatcher()
    {
    }

    internal abstract void Send(GrainReference target, RequestBase request);
}
