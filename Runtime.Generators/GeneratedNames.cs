using System;
using System.Collections.Generic;
using System.Linq;

namespace Lineage.Runtime.Generators;

/// <summary>A grain interface together with the names of the types generated for it.</summary>
/// <param name="Prefix">Unique among the assembly's grain interfaces (ignoring case, since it also names the generated file).</param>
/// <param name="FieldNames">The descriptor field of each method, in method order; unescaped.</param>
/// <param name="RequestNames">The request class of each method, in method order.</param>
internal sealed record GrainInterfaceOutput(
    GrainInterfaceModel Interface,
    string Prefix,
    string DescriptorName,
    string ProxyName,
    EquatableArray<string> FieldNames,
    EquatableArray<string> RequestNames);

/// <summary>Names the generated types. All of them share the namespace LineageGenerated, so names are allocated over the
/// whole assembly in a fixed order (interfaces sorted by full name) to keep them unique and the output deterministic.</summary>
internal static class GeneratedNames
{
    public const string ManifestClass = "GrainManifestImpl";

    /// <summary>The descriptor's own member; a method with this name gets a suffixed field instead.</summary>
    private const string InterfaceField = "Interface";

    public static EquatableArray<GrainInterfaceOutput> Assign(IEnumerable<GrainInterfaceModel> sortedInterfaces)
    {
        var usedPrefixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var usedTypes = new HashSet<string>(StringComparer.Ordinal) { ManifestClass };
        var outputs = new List<GrainInterfaceOutput>();
        foreach (var grainInterface in sortedInterfaces)
        {
            var baseName = StripInterfacePrefix(grainInterface.Name);
            for (var attempt = 1; ; attempt++)
            {
                var prefix = attempt == 1 ? baseName : baseName + "_" + attempt;
                if (usedPrefixes.Contains(prefix))
                {
                    continue;
                }

                var descriptor = prefix + "_Descriptor";
                var proxy = prefix + "_Proxy";
                var fields = AllocateFieldNames(grainInterface.Methods.Select(m => m.Name), descriptor, proxy);
                var requests = fields.Select(f => prefix + "_" + f + "_Request").ToList();
                if (usedTypes.Contains(descriptor) || usedTypes.Contains(proxy) || requests.Any(usedTypes.Contains))
                {
                    continue;
                }

                usedPrefixes.Add(prefix);
                usedTypes.Add(descriptor);
                usedTypes.Add(proxy);
                usedTypes.UnionWith(requests);
                outputs.Add(new GrainInterfaceOutput(grainInterface, prefix, descriptor, proxy, fields.ToEquatableArray(), requests.ToEquatableArray()));
                break;
            }
        }

        return outputs.ToEquatableArray();
    }

    /// <summary>"IFooGrain" becomes "FooGrain"; a name like "Inventory" keeps its I.</summary>
    private static string StripInterfacePrefix(string name) =>
        name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]) ? name.Substring(1) : name;

    /// <summary>One field per method; overloads and inherited methods of the same name get numeric suffixes in method order.
    /// A field may not take the descriptor's own name (CS0542) nor the proxy's, which the descriptor refers to unqualified.</summary>
    private static List<string> AllocateFieldNames(IEnumerable<string> methodNames, string descriptorName, string proxyName)
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { InterfaceField, descriptorName, proxyName };
        var fields = new List<string>();
        foreach (var name in methodNames)
        {
            var field = name;
            for (var suffix = 2; !used.Add(field); suffix++)
            {
                field = name + "_" + suffix;
            }

            fields.Add(field);
        }

        return fields;
    }
}
