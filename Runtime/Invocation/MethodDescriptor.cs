namespace Lineage.Runtime.Invocation;

/// <summary>Compile-time description of one grain interface method; one static instance per method.</summary>
public sealed class MethodDescriptor
{
    private static int s_nextId = -1;

    /// <summary>Creates the descriptor; called only from generated code.</summary>
    public MethodDescriptor(string name, int index, MethodOptions options)
    {
        Name = name;
        Index = index;
        Options = options;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The method's name as declared.</summary>
    public string Name { get; }

    /// <summary>Position of the method in its interface's declaration order; stable across builds of the same interface.</summary>
    public int Index { get; }

    /// <summary>Scheduling options.</summary>
    public MethodOptions Options { get; }

    /// <summary>The interface that declares this method; set when the interface descriptor is built.</summary>
    public GrainInterfaceDescriptor Interface { get; internal set; } = null!;

    /// <summary>Process-wide dense number, used to index per-method statistics without hashing on the call path.</summary>
    internal int Id { get; }

    /// <inheritdoc />
    public override string ToString() => Interface is null ? Name : Interface.Name + "." + Name;
}
