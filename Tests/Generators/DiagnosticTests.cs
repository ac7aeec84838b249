using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Lineage.Tests.Generators;

public sealed class DiagnosticTests
{
    private const string Prelude = """
        using System;
        using System.Threading.Tasks;
        using Lineage.Runtime;
        using Lineage.Runtime.Persistence;
        namespace Sample;
        public interface IGood : IGrainWithStringKey { Task Go(); }
        public sealed class GoodGrain : Grain, IGood { public Task Go() => Task.CompletedTask; }

        """;

    public static TheoryData<string, string, string> InterfaceCases => new()
    {
        { "LIN001", "public interface IBad : IGrainWithStringKey { int Get(); /*here*/ }", "'Get' of grain interface 'Sample.IBad' returns 'int'" },
        { "LIN001", "public interface IBad : IGrainWithStringKey { void Get(); /*here*/ }", "returns 'void'" },
        { "LIN001", "public interface IBad : IGrainWithStringKey { System.Collections.Generic.IAsyncEnumerable<int> Get(); /*here*/ }", "IAsyncEnumerable<int>" },
        { "LIN002", "public interface IBad : IGrainWithStringKey { Task Set(ref int value); /*here*/ }", "Parameter 'value' of method 'Set' on grain interface 'Sample.IBad' is passed by ref" },
        { "LIN002", "public interface IBad : IGrainWithStringKey { Task Set(out int value); /*here*/ }", "is an out parameter" },
        { "LIN002", "public interface IBad : IGrainWithStringKey { Task Set(in int value); /*here*/ }", "is an in parameter" },
        { "LIN002", "public interface IBad : IGrainWithStringKey { Task Set(ref readonly int value); /*here*/ }", "is passed by ref readonly" },
        { "LIN002", "public interface IBad : IGrainWithStringKey { Task Set(Span<int> value); /*here*/ }", "ref struct type 'System.Span<int>'" },
        { "LIN002", "public interface IBad : IGrainWithStringKey { unsafe Task Set(int* value); /*here*/ }", "pointer type 'int*'" },
        { "LIN003", "public interface IBad : IGrainWithStringKey { Task<T> Get<T>(); /*here*/ }", "'Get' of grain interface 'Sample.IBad' is generic" },
        { "LIN004", "public interface IBad : IGrainWithStringKey { int Count { get; } /*here*/ }", "'Sample.IBad' declares property 'Count'" },
        { "LIN004", "public interface IBad : IGrainWithStringKey { int this[int i] { get; } /*here*/ }", "declares an indexer" },
        { "LIN004", "public interface IBad : IGrainWithStringKey { event EventHandler Changed; /*here*/ }", "declares event 'Changed'" },
        { "LIN005", "public interface IBad : IGrainWithStringKey { [OneWay] Task<int> Fire(); /*here*/ }", "'Fire' of grain interface 'Sample.IBad' is [OneWay] but returns 'System.Threading.Tasks.Task<int>'" },
        { "LIN005", "public interface IBad : IGrainWithStringKey { [OneWay] ValueTask<int> Fire(); /*here*/ }", "is [OneWay] but returns" },
        { "LIN006", "public interface IBad<T> /*here*/ : IGrainWithStringKey { Task<T> Get(); }", "'Sample.IBad<T>' is generic" },
        { "LIN006", "public class Outer<T> { public interface IBad /*here*/ : IGrainWithStringKey { Task Get(); } }", "is generic" },
        { "LIN010", "public class Outer { private interface IBad /*here*/ : IGrainWithStringKey { Task Get(); } }", "'Sample.Outer.IBad' is private" },
    };

    public static TheoryData<string, string, string> ClassCases => new()
    {
        { "LIN007", "public sealed class BadGrain /*here*/ : Grain, IGood { private BadGrain() { } public Task Go() => Task.CompletedTask; }", "'Sample.BadGrain' has no public constructor" },
        { "LIN007", "public sealed class BadGrain /*here*/ : Grain, IGood { internal BadGrain() { } public Task Go() => Task.CompletedTask; }", "no public constructor" },
        { "LIN008", "public sealed class BadGrain /*here*/ : IGood { public Task Go() => Task.CompletedTask; }", "'Sample.BadGrain' implements grain interface 'Sample.IGood' but does not derive from Lineage.Runtime.Grain" },
        { "LIN008", "public sealed record BadGrain /*here*/ : IGood { public Task Go() => Task.CompletedTask; }", "does not derive from Lineage.Runtime.Grain" },
        { "LIN008", "public struct BadGrain /*here*/ : IGood { public Task Go() => Task.CompletedTask; }", "does not derive from Lineage.Runtime.Grain" },
        {
            "LIN009",
            "public sealed class BadGrain : Grain, IGood { public BadGrain(\n [PersistentState(\"s\")] string state /*here*/) { } public Task Go() => Task.CompletedTask; }",
            "Parameter 'state' of the constructor of 'Sample.BadGrain' has [PersistentState] but its type is 'string'"
        },
        { "LIN010", "public class Outer { private sealed class BadGrain /*here*/ : Grain, IGood { public Task Go() => Task.CompletedTask; } }", "is private" },
    };

    [Theory]
    [MemberData(nameof(InterfaceCases))]
    public void Broken_interface_is_reported_where_it_is_broken_and_not_generated(string id, string declaration, string messagePart)
    {
        var source = Prelude + declaration;
        var result = GeneratorHarness.Run(source);

        AssertSingleDiagnostic(result, id, GeneratorHarness.LineOf(source, "/*here*/"), messagePart);
        Assert.DoesNotContain("Bad.GrainInterface.g.cs", result.GeneratedHintNames);
        Assert.DoesNotContain("IBad", result.AllGeneratedText, StringComparison.Ordinal);

        // The rest of the assembly is still generated.
        Assert.Contains("Good.GrainInterface.g.cs", result.GeneratedHintNames);
        Assert.Contains("typeof(global::Sample.GoodGrain)", result.Source("GrainManifest.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ClassCases))]
    public void Broken_grain_class_is_reported_where_it_is_broken_and_not_registered(string id, string declaration, string messagePart)
    {
        var source = Prelude + declaration;
        var result = GeneratorHarness.Run(source);

        AssertSingleDiagnostic(result, id, GeneratorHarness.LineOf(source, "/*here*/"), messagePart);
        var manifest = result.Source("GrainManifest.g.cs");
        Assert.DoesNotContain("BadGrain", manifest, StringComparison.Ordinal);
        Assert.Contains("typeof(global::Sample.GoodGrain)", manifest, StringComparison.Ordinal);
        Assert.Contains("Good.GrainInterface.g.cs", result.GeneratedHintNames);
    }

    [Fact]
    public void Problem_inherited_by_a_derived_interface_is_reported_once()
    {
        var source = Prelude + """
            public interface IBad : IGrainWithStringKey { int Get(); /*here*/ }
            public interface IWorse : IBad { Task Other(); }
            """;
        var result = GeneratorHarness.Run(source);

        AssertSingleDiagnostic(result, "LIN001", GeneratorHarness.LineOf(source, "/*here*/"), "'Get' of grain interface 'Sample.IBad'");
        Assert.DoesNotContain("Worse.GrainInterface.g.cs", result.GeneratedHintNames);
    }

    [Fact]
    public void Problem_in_a_base_interface_from_metadata_is_reported_on_the_derived_interface()
    {
        // The library is built without the generator, as a third-party assembly might be.
        var library = GeneratorHarness.CreateCompilation("BrokenLibrary", [], """
            using System.Threading.Tasks;
            using Lineage.Runtime;
            namespace Library;
            public interface IBad : IGrainWithStringKey { Task<T> Get<T>(); }
            """);
        using var image = new MemoryStream();
        Assert.True(library.Emit(image, cancellationToken: TestContext.Current.CancellationToken).Success);

        const string Source = """
            using Lineage.Runtime;
            namespace App;
            public interface IDerived /*here*/ : Library.IBad { }
            """;
        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("App", [MetadataReference.CreateFromImage(image.ToArray())], Source));

        AssertSingleDiagnostic(result, "LIN003", GeneratorHarness.LineOf(Source, "/*here*/"), "'Get' of grain interface 'Library.IBad' is generic");
        Assert.Empty(result.Run.GeneratedSources);
    }

    [Fact]
    public void Every_descriptor_is_an_error_in_the_grains_category_with_a_unique_id()
    {
        var descriptors = typeof(Lineage.Runtime.Generators.DiagnosticDescriptors)
            .GetFields()
            .Select(f => f.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .ToList();

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"LIN{i:000}"), descriptors.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(descriptors, d =>
        {
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal("Lineage.Grains", d.Category);
        });
    }

    private static void AssertSingleDiagnostic(GeneratorResult result, string id, int line, string messagePart)
    {
        Assert.Null(result.Run.Exception);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Source0.cs", span.Path);
        Assert.Equal(line, span.StartLinePosition.Line);
        Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // The position is the offending declaration's name, which is what an editor underlines.
        var tree = result.Output.SyntaxTrees.First(t => t.FilePath == "Source0.cs");
        var token = tree.GetRoot(TestContext.Current.CancellationToken).FindToken(diagnostic.Location.SourceSpan.Start);
        Assert.True(token.IsKind(SyntaxKind.IdentifierToken) || token.IsKind(SyntaxKind.ThisKeyword), $"diagnostic points at '{token}'");
    }
}
