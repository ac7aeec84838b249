using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Runtime.Generators;

/// <summary>Recognises the runtime's types by name. Comparing names rather than looking symbols up per compilation keeps the
/// transforms cheap and lets them run on a syntax node's semantic model alone.</summary>
internal static class GrainSymbols
{
    /// <summary>How generated code spells types: fully qualified from <c>global::</c>, keywords escaped, nullable annotations kept
    /// so that explicit implementations match the interface's nullability.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>How messages name symbols: the way the compiler's own errors do.</summary>
    public static readonly SymbolDisplayFormat MessageFormat = SymbolDisplayFormat.CSharpErrorMessageFormat;

    private static readonly string[] RuntimeNamespace = ["Lineage", "Runtime"];
    private static readonly string[] PersistenceNamespace = ["Lineage", "Runtime", "Persistence"];
    private static readonly string[] TasksNamespace = ["System", "Threading", "Tasks"];
    private static readonly string[] DependencyInjectionNamespace = ["Microsoft", "Extensions", "DependencyInjection"];

    public static bool IsIGrain(INamedTypeSymbol type) => Is(type, RuntimeNamespace, "IGrain");

    /// <summary>IGrain and its keyed sub-interfaces: they mark grain interfaces but have no proxies of their own.</summary>
    public static bool IsGrainMarker(INamedTypeSymbol type) =>
        type.MetadataName is "IGrain" or "IGrainWithStringKey" or "IGrainWithGuidKey" or "IGrainWithIntegerKey"
        && IsIn(type.ContainingNamespace, RuntimeNamespace);

    /// <summary>Whether <paramref name="type"/> is IGrain or derives from it.</summary>
    public static bool IsGrainRelated(INamedTypeSymbol type) => IsIGrain(type) || type.AllInterfaces.Any(IsIGrain);

    /// <summary>An interface that derives from IGrain and is not one of the runtime's markers.</summary>
    public static bool IsGrainInterface(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Interface && !IsGrainMarker(type) && type.AllInterfaces.Any(IsIGrain);

    public static bool DerivesFromGrain(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (Is(current, RuntimeNamespace, "Grain"))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsPersistentState(ITypeSymbol type) =>
        type is INamedTypeSymbol named && Is(named, PersistenceNamespace, "IPersistentState`1");

    public static bool IsGrainActivationContext(ITypeSymbol type) =>
        type is INamedTypeSymbol named && Is(named, RuntimeNamespace, "IGrainActivationContext");

    public static bool IsTasksType(ITypeSymbol type, string metadataName) =>
        type is INamedTypeSymbol named && Is(named, TasksNamespace, metadataName);

    public static bool IsRuntimeAttribute(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass is { } type && Is(type, RuntimeNamespace, metadataName);

    public static bool IsPersistenceAttribute(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass is { } type && Is(type, PersistenceNamespace, metadataName);

    public static bool IsDependencyInjectionAttribute(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass is { } type && Is(type, DependencyInjectionNamespace, metadataName);

    public static bool HasRuntimeAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => IsRuntimeAttribute(a, metadataName));

    /// <summary>Generic types cannot be proxied or constructed, and a type nested in a generic type is generic too.</summary>
    public static bool IsGenericOrInGeneric(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why generated code in the same assembly cannot name <paramref name="type"/>, or null when it can.</summary>
    public static string? DescribeInaccessibility(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
            {
                continue;
            }

            var accessibility = SyntaxFacts.GetText(current.DeclaredAccessibility);
            return SymbolEqualityComparer.Default.Equals(current, type)
                ? accessibility
                : $"nested in {accessibility} type '{current.ToDisplayString(MessageFormat)}'";
        }

        return null;
    }

    /// <summary>Prefixes C# keywords with @ so a member or parameter named, say, <c>class</c> stays an identifier.</summary>
    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static bool Is(INamedTypeSymbol type, string[] containingNamespace, string metadataName) =>
        type.MetadataName == metadataName && type.ContainingType is null && IsIn(type.ContainingNamespace, containingNamespace);

    private static bool IsIn(INamespaceSymbol? ns, string[] parts)
    {
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (ns is null || ns.Name != parts[i])
            {
                return false;
            }

            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: true };
    }
}
