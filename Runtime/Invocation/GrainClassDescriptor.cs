namespace Lineage.Runtime.Invocation;

/// <summary>Compile-time description of a grain class: its type name, the interfaces it serves and how to construct it.</summary>
public sealed class GrainClassDescriptor
{
    private readonly Func<IGrainActivationContext, Grain> _create;

    /// <summary>Creates the descriptor; called only from generated code.</summary>
    public GrainClassDescriptor(Type grainClass, string grainType, Type[] interfaces, bool isReentrant, Func<IGrainActivationContext, Grain> create)
    {
        GrainClass = grainClass;
        GrainType = grainType;
        Interfaces = interfaces;
        IsReentrant = isReentrant;
        _create = create;
    }

    /// <summary>The grain class.</summary>
    public Type GrainClass { get; }

    /// <summary>The grain type name used in grain ids and storage keys.</summary>
    public string GrainType { get; }

    /// <summary>The grain interfaces the class implements; their descriptors come from the manifests of the assemblies declaring them.</summary>
    public IReadOnlyList<Type> Interfaces { get; }

    /// <summary>Whether the class carries <see cref="ReentrantAttribute"/>.</summary>
    public bool IsReentrant { get; }

    internal Grain Create(IGrainActivationContext context) => _create(context);
}
