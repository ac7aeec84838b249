using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lineage.Runtime.Generators;

/// <summary>Generates, for the grain interfaces and grain classes declared in a compilation, the proxies, request classes and
/// descriptors the Lineage runtime calls through, plus the assembly's <c>GrainManifest</c>.</summary>
/// <remarks>Every stage after the syntax transforms works on plain equatable records, so an edit that does not change any
/// grain's shape leaves the generated sources cached.</remarks>
[Generator(LanguageNames.CSharp)]
public sealed class GrainGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaceModels = context.SyntaxProvider
            .CreateSyntaxProvider(IsInterfaceCandidate, ReadInterface)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.InterfaceModels);

        var classModels = context.SyntaxProvider
            .CreateSyntaxProvider(IsTypeCandidate, ReadClass)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ClassModels);

        var interfaces = interfaceModels
            .Collect()
            .Select(static (models, _) => GeneratedNames.Assign(
                models.Where(m => m.IsValid).Distinct().OrderBy(m => m.FullName, StringComparer.Ordinal)))
            .WithTrackingName(TrackingNames.Interfaces);

        var classes = classModels
            .Collect()
            .Select(static (models, _) => models.Where(m => m.IsValid).Distinct().OrderBy(m => m.FullName, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.Classes);

        // One output per interface, so an interface whose model and names did not change keeps its cached source.
        var interfaceOutputs = interfaces
            .SelectMany(static (outputs, _) => outputs)
            .WithTrackingName(TrackingNames.InterfaceOutputs);
        context.RegisterSourceOutput(interfaceOutputs, static (production, output) =>
            production.AddSource(output.Prefix + ".GrainInterface.g.cs", SourceText.From(ProxyEmitter.Emit(output), System.Text.Encoding.UTF8)));

        var manifest = interfaces
            .Combine(classes)
            .Select(static (pair, _) => new ManifestModel(pair.Left.Select(o => o.DescriptorName).ToEquatableArray(), pair.Right))
            .WithTrackingName(TrackingNames.Manifest);
        context.RegisterSourceOutput(manifest, static (production, model) =>
        {
            if (model.InterfaceDescriptors.Count > 0 || model.Classes.Count > 0)
            {
                production.AddSource("GrainManifest.g.cs", SourceText.From(ManifestEmitter.Emit(model), System.Text.Encoding.UTF8));
            }
        });

        // A partial type read from several declarations yields the same diagnostics several times; a derived interface
        // repeats its bases' problems too. Each is reported once.
        var diagnostics = interfaceModels
            .Collect()
            .Combine(classModels.Collect())
            .Select(static (pair, _) => pair.Left.SelectMany(m => m.Diagnostics)
                .Concat(pair.Right.SelectMany(m => m.Diagnostics))
                .Distinct()
                .OrderBy(d => d)
                .ToEquatableArray())
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (production, found) =>
        {
            foreach (var diagnostic in found)
            {
                production.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }

    // The predicates run on every syntax node of every edit, so they only look at syntax: a type without a base list
    // cannot be a grain interface or implement one.
    private static bool IsInterfaceCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InterfaceDeclarationSyntax { BaseList.Types.Count: > 0 };

    private static bool IsTypeCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is ClassDeclarationSyntax { BaseList.Types.Count: > 0 }
            or RecordDeclarationSyntax { BaseList.Types.Count: > 0 }
            or StructDeclarationSyntax { BaseList.Types.Count: > 0 };

    private static GrainInterfaceModel? ReadInterface(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is INamedTypeSymbol symbol && GrainSymbols.IsGrainInterface(symbol)
            ? GrainInterfaceReader.Read(symbol, cancellationToken)
            : null;

    private static GrainClassModel? ReadClass(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is INamedTypeSymbol symbol
            ? GrainClassReader.Read(symbol, cancellationToken)
            : null;
}
