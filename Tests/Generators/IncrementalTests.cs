using System.Collections;
using System.Reflection;
using Lineage.Runtime.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Lineage.Tests.Generators;

public sealed class IncrementalTests
{
    private static readonly string[] TrackedSteps =
    [
        TrackingNames.InterfaceModels,
        TrackingNames.ClassModels,
        TrackingNames.Interfaces,
        TrackingNames.InterfaceOutputs,
        TrackingNames.Classes,
        TrackingNames.Manifest,
        TrackingNames.Diagnostics,
    ];

    private const string Unrelated = """
        namespace Other;
        public sealed class Unrelated { public int Value; }
        """;

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached()
    {
        var (driver, compilation) = RunOnce(Fixtures.Valid, Unrelated);
        var unrelatedTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        var edited = compilation.ReplaceSyntaxTree(
            unrelatedTree,
            CSharpSyntaxTree.ParseText(Unrelated.Replace("public int Value;", "public int Value; public string Name = \"x\";", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Source1.cs", cancellationToken: TestContext.Current.CancellationToken));

        var result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step} was {output.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"source output was {output.Reason}"));
    }

    [Fact]
    public void Editing_one_interface_regenerates_only_that_interface()
    {
        const string Other = """
            using System.Threading.Tasks;
            using Lineage.Runtime;
            namespace Sample;
            public interface IOther : IGrainWithStringKey { Task Go(); }
            """;
        var (driver, compilation) = RunOnce(Fixtures.Valid, Other);
        var otherTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        var edited = compilation.ReplaceSyntaxTree(
            otherTree,
            CSharpSyntaxTree.ParseText(Other.Replace("Task Go();", "Task Go(); Task Stop();", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Source1.cs", cancellationToken: TestContext.Current.CancellationToken));

        var result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        // The tracked steps see the change, so the caching test above is not passing vacuously.
        var reasons = result.TrackedSteps[TrackingNames.InterfaceOutputs]
            .SelectMany(s => s.Outputs)
            .Select(o => (((GrainInterfaceOutput)o.Value).Interface.Name, o.Reason))
            .ToDictionary(x => x.Name, x => x.Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons["IOther"]);
        Assert.Contains(reasons["ICounterGrain"], new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        Assert.Contains("Stop", result.GeneratedSources.Single(s => s.HintName == "Other.GrainInterface.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_or_compilations()
    {
        var (driver, _) = RunOnce(Fixtures.Valid, Unrelated);
        var result = driver.GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertPlainData(output.Value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce(params string[] sources)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        return (driver, compilation);
    }

    /// <summary>Walks a pipeline value's object graph: anything tied to a compilation would be kept alive across runs and
    /// would compare by reference, so the cache could never hit.</summary>
    private static void AssertPlainData(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree or Location, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                AssertPlainData(item, $"{path}[{i++}]", visited);
            }

            return;
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertPlainData(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }
}
