using System.Reflection;
using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Activation;

/// <summary>The grain interfaces and classes known to this process, read once from the generated manifests.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainInterfaceDescriptor> _interfaces = [];
    private readonly Dictionary<Type, string?> _grainTypeByInterface = [];
    private readonly Dictionary<string, GrainClassInfo> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<int, GrainInterfaceDescriptor> _interfacesByWireId = [];

    public GrainTypeRegistry(IEnumerable<Assembly> assemblies)
    {
        var manifests = LoadManifests(assemblies).ToList();
        foreach (var manifest in manifests)
        {
            foreach (var grainInterface in manifest.Interfaces)
            {
                if (!_interfaces.TryAdd(grainInterface.InterfaceType, grainInterface))
                {
                    continue;
                }

                if (_interfacesByWireId.TryGetValue(grainInterface.WireId, out var clash))
                {
                    throw new InvalidOperationException(
                        $"Grain interfaces {clash.Name} and {grainInterface.Name} have the same wire id {grainInterface.WireId}; rename one of them.");
                }

                _interfacesByWireId[grainInterface.WireId] = grainInterface;
            }
        }

        foreach (var grainClass in manifests.SelectMany(m => m.GrainClasses))
        {
            if (_classes.TryGetValue(grainClass.GrainType, out var existing))
            {
                if (existing.Descriptor.GrainClass == grainClass.GrainClass)
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"Grain classes {existing.Descriptor.GrainClass.FullName} and {grainClass.GrainClass.FullName} share the grain type name " +
                    $"'{grainClass.GrainType}'; give one of them a distinct [GrainType(\"...\")].");
            }

            var interfaces = new List<GrainInterfaceDescriptor>();
            foreach (var interfaceType in grainClass.Interfaces)
            {
                if (!_interfaces.TryGetValue(interfaceType, out var descriptor))
                {
                    throw new InvalidOperationException(
                        $"Grain class {grainClass.GrainClass.FullName} implements {interfaceType.FullName}, but no generated proxy for that interface was found. " +
                        "Is the Lineage source generator referenced by the project that declares it?");
                }

                interfaces.Add(descriptor);

                // An interface served by several classes has no single owner, so calls through it would be ambiguous.
                _grainTypeByInterface[interfaceType] = _grainTypeByInterface.ContainsKey(interfaceType) ? null : grainClass.GrainType;
            }

            _classes[grainClass.GrainType] = new GrainClassInfo(grainClass, interfaces);
        }
    }

    public IReadOnlyCollection<GrainClassInfo> Classes => _classes.Values;

    public int InterfaceCount => _interfaces.Count;

    public GrainClassInfo GetClass(string grainType) =>
        _classes.TryGetValue(grainType, out var info)
            ? info
            : throw new InvalidOperationException($"No grain class with grain type '{grainType}' is registered in this silo.");

    /// <summary>Whether <paramref name="grainType"/> is a <see cref="SiloBoundAttribute"/> class; false for unknown types.</summary>
    public bool IsSiloBound(string grainType) => _classes.TryGetValue(grainType, out var info) && info.IsSiloBound;

    /// <summary>Finds a method by its interface's wire id and its index; null when unknown here.</summary>
    public MethodDescriptor? FindMethod(int interfaceWireId, int methodIndex) =>
        _interfacesByWireId.TryGetValue(interfaceWireId, out var descriptor) && methodIndex < descriptor.Methods.Count
            ? descriptor.Methods[methodIndex]
            : null;

    /// <summary>The generated descriptor of a grain interface, whether or not a class here implements it.</summary>
    public GrainInterfaceDescriptor GetDescriptor(Type interfaceType) =>
        _interfaces.TryGetValue(interfaceType, out var descriptor)
            ? descriptor
            : throw new ArgumentException($"{interfaceType.FullName} is not a known grain interface; register the assembly that declares it.", nameof(interfaceType));

    public (GrainInterfaceDescriptor Descriptor, string GrainType) GetInterface(Type interfaceType)
    {
        if (!_interfaces.TryGetValue(interfaceType, out var descriptor))
        {
            throw new ArgumentException(
                $"{interfaceType.FullName} is not a known grain interface. Grain interfaces must derive from IGrainWithStringKey, " +
                "IGrainWithGuidKey or IGrainWithIntegerKey, and their assembly must be registered with the silo or client.", nameof(interfaceType));
        }

        if (!_grainTypeByInterface.TryGetValue(interfaceType, out var grainType) || grainType is null)
        {
            throw new ArgumentException(grainType is null && _grainTypeByInterface.ContainsKey(interfaceType)
                ? $"Several grain classes implement {interfaceType.FullName}; call through an interface that only one class implements."
                : $"No registered grain class implements {interfaceType.FullName}; register the assembly that holds it.",
                nameof(interfaceType));
        }

        return (descriptor, grainType);
    }

    private static IEnumerable<GrainManifest> LoadManifests(IEnumerable<Assembly> roots)
    {
        var runtimeName = typeof(GrainManifest).Assembly.GetName().Name;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Assembly>(roots);
        while (queue.Count > 0)
        {
            var assembly = queue.Dequeue();
            if (!seen.Add(assembly.FullName ?? assembly.GetName().Name ?? string.Empty))
            {
                continue;
            }

            if (assembly.GetCustomAttribute<GrainManifestAttribute>() is { } attribute)
            {
                yield return (GrainManifest)Activator.CreateInstance(attribute.ManifestType)!;
            }

            // Only assemblies built against the runtime can carry grain code; the framework's are skipped.
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (seen.Contains(reference.FullName) || reference.Name == runtimeName)
                {
                    continue;
                }

                Assembly referenced;
                try
                {
                    referenced = Assembly.Load(reference);
                }
                catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    continue;
                }

                if (referenced.GetReferencedAssemblies().Any(r => r.Name == runtimeName))
                {
                    queue.Enqueue(referenced);
                }
            }
        }
    }
}
