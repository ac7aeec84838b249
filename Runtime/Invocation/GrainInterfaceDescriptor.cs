namespace Lineage.Runtime.Invocation;

/// <summary>Compile-time description of one grain interface: its methods and how to make its proxy.</summary>
public sealed class GrainInterfaceDescriptor
{
    private readonly Func<GrainCallDispatcher, GrainId, GrainReference> _createProxy;

    /// <summary>Creates the descriptor; called only from generated code.</summary>
    public GrainInterfaceDescriptor(Type interfaceType, MethodDescriptor[] methods, Func<GrainCallDispatcher, GrainId, GrainReference> createProxy)
    {
        InterfaceType = interfaceType;
        Name = interfaceType.FullName ?? interfaceType.Name;
        WireId = Cluster.Placement.StableHash.Hash32(Name);
        Methods = methods;
        _createProxy = createProxy;
        foreach (var method in methods)
        {
            method.Interface = this;
        }
    }

    /// <summary>The grain interface.</summary>
    public Type InterfaceType { get; }

    /// <summary>The interface's full name; identifies it on the wire.</summary>
    public string Name { get; }

    /// <summary>A stable 32-bit hash of <see cref="Name"/> that identifies the interface in messages; collisions are refused when
    /// the silo loads its grain types.</summary>
    public int WireId { get; }

    /// <summary>The interface's methods in declaration order.</summary>
    public IReadOnlyList<MethodDescriptor> Methods { get; }

    internal GrainReference CreateProxy(GrainCallDispatcher dispatcher, GrainId id) => _createProxy(dispatcher, id);
}
