using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Runtime.Generators;

/// <summary>What the assembly's manifest lists: the descriptors of its grain interfaces and its grain classes, both sorted.</summary>
internal sealed record ManifestModel(EquatableArray<string> InterfaceDescriptors, EquatableArray<GrainClassModel> Classes);

/// <summary>Writes the assembly's <c>GrainManifestImpl</c> and the assembly attribute through which the runtime finds it.</summary>
internal static class ManifestEmitter
{
    private const string Invocation = "global::Lineage.Runtime.Invocation";

    public static string Emit(ManifestModel manifest)
    {
        var writer = new CodeWriter();
        ProxyEmitter.EmitFileHeader(writer);
        writer.Line($"[assembly: {Invocation}.GrainManifestAttribute(typeof(global::LineageGenerated.{GeneratedNames.ManifestClass}))]");
        writer.Line();
        writer.Open("namespace LineageGenerated");
        writer.Open($"internal sealed class {GeneratedNames.ManifestClass} : {Invocation}.GrainManifest");

        writer.Open($"public override global::System.Collections.Generic.IReadOnlyList<{Invocation}.GrainInterfaceDescriptor> Interfaces {{ get; }} = new {Invocation}.GrainInterfaceDescriptor[]");
        foreach (var descriptor in manifest.InterfaceDescriptors)
        {
            writer.Line($"{descriptor}.Interface,");
        }

        writer.Close("};");
        writer.Line();

        writer.Open($"public override global::System.Collections.Generic.IReadOnlyList<{Invocation}.GrainClassDescriptor> GrainClasses {{ get; }} = new {Invocation}.GrainClassDescriptor[]");
        foreach (var grainClass in manifest.Classes)
        {
            var interfaces = string.Join(", ", grainClass.Interfaces.Select(i => $"typeof({i})"));
            writer.Line($"new {Invocation}.GrainClassDescriptor(");
            writer.Line($"    typeof({grainClass.FullName}),");
            writer.Line($"    {SymbolDisplay.FormatLiteral(grainClass.GrainType, quote: true)},");
            writer.Line($"    new global::System.Type[] {{ {interfaces} }},");
            writer.Line($"    {(grainClass.IsReentrant ? "true" : "false")},");
            writer.Line($"    static ctx => new {grainClass.FullName}({string.Join(", ", grainClass.ConstructorArguments)})),");
        }

        writer.Close("};");
        writer.Close();
        writer.Close();
        return writer.ToString();
    }
}
