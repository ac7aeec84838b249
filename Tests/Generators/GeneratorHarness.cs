using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Lineage.Runtime;
using Lineage.Runtime.Generators;
using Lineage.Runtime.Invocation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Lineage.Tests.Generators;

/// <summary>Runs <see cref="GrainGenerator"/> over in-memory sources the way the compiler would, against the real runtime assembly.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

        // The test assembly is left out: it is itself a consumer of the generator, and its types are not the fixtures'.
        var testAssembly = typeof(GeneratorHarness).Assembly.Location;
        return platform
            .Append(typeof(Grain).Assembly.Location)
            .Where(path => !string.Equals(path, testAssembly, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    public static CSharpCompilation CreateCompilation(string assemblyName, IEnumerable<MetadataReference> extraReferences, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs", cancellationToken: TestContext.Current.CancellationToken)),
            References.Value.AddRange(extraReferences),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                allowUnsafe: true));

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation("Fixture", [], sources);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new GrainGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorResult Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorResult Run(CSharpCompilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            compilation, out var output, out var diagnostics, TestContext.Current.CancellationToken);
        return new GeneratorResult(driver.GetRunResult().Results.Single(), (CSharpCompilation)output, diagnostics);
    }

    /// <summary>The zero-based line of the first line of <paramref name="source"/> containing <paramref name="marker"/>.</summary>
    public static int LineOf(string source, string marker)
    {
        var lines = source.Split('\n');
        var index = Array.FindIndex(lines, line => line.Contains(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"marker {marker} not in source");
        return index;
    }
}

internal sealed record GeneratorResult(GeneratorRunResult Run, CSharpCompilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public IEnumerable<string> GeneratedHintNames => Run.GeneratedSources.Select(s => s.HintName);

    public string Source(string hintName) => Run.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    public string AllGeneratedText => string.Join("\n", Run.GeneratedSources.Select(s => s.SourceText.ToString()));

    /// <summary>The output compiled to an image, for use as a reference by another fixture compilation.</summary>
    public byte[] EmitImage()
    {
        AssertCleanBuild();
        using var image = new MemoryStream();
        var emitted = Output.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return image.ToArray();
    }

    /// <summary>Errors and warnings of the compilation including generated code; a consumer builds with warnings as errors.</summary>
    public IReadOnlyList<Diagnostic> CompilationProblems =>
        Output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    public void AssertCleanBuild()
    {
        Assert.Empty(GeneratorDiagnostics);
        Assert.Null(Run.Exception);
        var problems = CompilationProblems;
        Assert.True(problems.Count == 0, "Output compilation has problems:\n" + string.Join("\n", problems) + "\n\nGenerated:\n" + AllGeneratedText);
    }

    /// <summary>Compiles the output, loads it into its own load context and returns its generated manifest.</summary>
    /// <param name="dependencies">Images of referenced fixture assemblies, loaded into the same context first.</param>
    public GrainManifest LoadManifest(params byte[][] dependencies)
    {
        AssertCleanBuild();
        using var image = new MemoryStream();
        var emitted = Output.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;

        // A collectible context keeps the fixtures out of the default one; the runtime assembly still resolves from there.
        var context = new AssemblyLoadContext("fixture-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        foreach (var dependency in dependencies)
        {
            using var dependencyImage = new MemoryStream(dependency);
            context.LoadFromStream(dependencyImage);
        }

        var assembly = context.LoadFromStream(image);
        var attribute = assembly.GetCustomAttribute<GrainManifestAttribute>();
        Assert.NotNull(attribute);
        return Assert.IsAssignableFrom<GrainManifest>(Activator.CreateInstance(attribute.ManifestType));
    }
}
