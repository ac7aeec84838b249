using System.Text;

namespace Lineage.Runtime.Invocation;

/// <summary>The grains waiting, innermost first, on the request that carries this chain; used to spot call cycles.</summary>
/// <remarks>An immutable linked list, so extending a chain for an outgoing call costs one small allocation.</remarks>
internal sealed class CallChain(GrainId caller, CallChain? rest)
{
    public GrainId Caller { get; } = caller;

    public CallChain? Rest { get; } = rest;

    public bool Contains(GrainId id)
    {
        for (var node = this; node is not null; node = node.Rest)
        {
            if (node.Caller.Equals(id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Renders the cycle that calling <paramref name="target"/> would close, outermost caller first.</summary>
    public string DescribeCycle(GrainId target)
    {
        var nodes = new List<GrainId>();
        for (var node = this; node is not null; node = node.Rest)
        {
            nodes.Add(node.Caller);
            if (node.Caller.Equals(target))
            {
                break;
            }
        }

        nodes.Reverse();
        var text = new StringBuilder();
        foreach (var id in nodes)
        {
            text.Append(id).Append(" -> ");
        }

        return text.Append(target).ToString();
    }
}
