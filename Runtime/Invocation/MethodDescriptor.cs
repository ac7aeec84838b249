namespace Lineage.Runtime.Invocation;

/// <summary>Compile-time description of one grain interface method; one static instance per method.</summary>
public sealed class MethodDescriptor
{
    private static int s_nextId = -1;

    /// <summary>Creates the descriptor; called only from generated code.</summary>
    public MethodDescriptor(string name, int index, MethodOptions options, RequestReader readRequest)
    {
        Name = name;
        Index = index;
        Options = options;
        ReadRequest = readRequest;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The method's name as declared.</summary>
    public string Name { get; }

    /// <summary>Position of the method in its interface's declaration order; stable across builds of the same interface.</summary>
    public int Index { get; }

    /// <summary>Scheduling options.</summary>
    public MethodOptions Options { get; }

    /// <summary>Makes a request of this method from its arguments as read off the wire.</summary>
    internal RequestReader ReadRequest { get; }

    /// <summary>The interface that declares this method; set when the interface descriptor is built.</summary>
    public GrainInterfaceDescriptor Interface { get; internal set; } = null!;

    /// <summary>Process-wide dense number, used to index per-method statistics without hashing on the call path.</summary>
    internal int Id { get; }

    /// <inheritdoc />
    public override string ToString() => Interface is null ? Name : Interface.Name + "." + Name;
}

/// <summary>Makes a request from arguments read off the wire; generated per method.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate RequestBase RequestReader(ref Lineage.Runtime.Cluster.Serialization.WireReader reader);
