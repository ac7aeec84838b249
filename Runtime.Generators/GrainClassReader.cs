using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Runtime.Generators;

/// <summary>Turns a type that implements a grain interface into a <see cref="GrainClassModel"/>, or into the diagnostics
/// that explain why it cannot be registered.</summary>
internal static class GrainClassReader
{
    private const string ServiceProviderExtensions = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions";
    private const string KeyedServiceProviderExtensions = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions";

    /// <summary>Null when <paramref name="type"/> has nothing to do with grains, or is a grain base class that cannot be activated itself.</summary>
    public static GrainClassModel? Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !type.AllInterfaces.Any(GrainSymbols.IsGrainRelated))
        {
            return null;
        }

        var location = type.Locations.FirstOrDefault();
        var displayName = type.ToDisplayString(GrainSymbols.MessageFormat);
        var fullName = type.ToDisplayString(GrainSymbols.TypeFormat);

        if (!GrainSymbols.DerivesFromGrain(type))
        {
            // Name the interface the user wrote in the base list when there is one; it is the one they will recognise.
            var implemented = type.Interfaces.FirstOrDefault(GrainSymbols.IsGrainRelated) ?? type.AllInterfaces.First(GrainSymbols.IsGrainRelated);
            var notAGrain = DiagnosticInfo.Create(
                DiagnosticDescriptors.NotDerivedFromGrain,
                location,
                displayName,
                implemented.ToDisplayString(GrainSymbols.MessageFormat));
            return new GrainClassModel(fullName, string.Empty, EquatableArray<string>.Empty, false, EquatableArray<string>.Empty, new[] { notAGrain }.ToEquatableArray());
        }

        var grainInterfaces = type.AllInterfaces
            .Where(GrainSymbols.IsGrainInterface)
            .Select(i => i.ToDisplayString(GrainSymbols.TypeFormat))
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();
        if (type.IsAbstract || GrainSymbols.IsGenericOrInGeneric(type) || grainInterfaces.Count == 0)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = new List<DiagnosticInfo>();
        if (GrainSymbols.DescribeInaccessibility(type) is { } inaccessibility)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Inaccessible, location, displayName, inaccessibility));
        }

        // A wrongly typed [PersistentState] is a mistake on any constructor, not only on the one the runtime would pick.
        foreach (var constructor in type.InstanceConstructors)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (FindPersistentState(parameter) is not null && !GrainSymbols.IsPersistentState(parameter.Type))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.PersistentStateType,
                        parameter.Locations.FirstOrDefault(l => l.IsInSource) ?? location,
                        parameter.Name,
                        displayName,
                        parameter.Type.ToDisplayString(GrainSymbols.MessageFormat)));
                }
            }
        }

        var selected = SelectConstructor(type);
        if (selected is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoPublicConstructor, location, displayName));
        }

        if (diagnostics.Count > 0 || selected is null)
        {
            return new GrainClassModel(fullName, string.Empty, EquatableArray<string>.Empty, false, EquatableArray<string>.Empty, diagnostics.ToEquatableArray());
        }

        return new GrainClassModel(
            fullName,
            GetGrainTypeName(type),
            grainInterfaces.ToEquatableArray(),
            IsReentrant(type),
            selected.Parameters.Select(BuildArgument).ToEquatableArray(),
            EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The grain type name: [GrainType] if present, else the class name lower-cased without a trailing "Grain".</summary>
    public static string GetGrainTypeName(INamedTypeSymbol type)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => GrainSymbols.IsRuntimeAttribute(a, "GrainTypeAttribute"));
        if (attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0].Value is string explicitName)
        {
            return explicitName;
        }

        var name = type.Name;
        const string Suffix = "Grain";
        if (name.Length > Suffix.Length && name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - Suffix.Length);
        }

        return name.ToLowerInvariant();
    }

    private static bool IsReentrant(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (GrainSymbols.HasRuntimeAttribute(current, "ReentrantAttribute"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The single public constructor; else the one marked [ActivatorUtilitiesConstructor]; else the public one with
    /// the most parameters (the first declared on a tie), as dependency injection would choose.</summary>
    private static IMethodSymbol? SelectConstructor(INamedTypeSymbol type)
    {
        var candidates = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        if (candidates.Count <= 1)
        {
            return candidates.FirstOrDefault();
        }

        var marked = candidates.FirstOrDefault(c =>
            c.GetAttributes().Any(a => GrainSymbols.IsDependencyInjectionAttribute(a, "ActivatorUtilitiesConstructorAttribute")));
        if (marked is not null)
        {
            return marked;
        }

        var best = candidates[0];
        foreach (var candidate in candidates)
        {
            if (candidate.Parameters.Length > best.Parameters.Length)
            {
                best = candidate;
            }
        }

        return best;
    }

    private static string BuildArgument(IParameterSymbol parameter)
    {
        if (FindPersistentState(parameter) is { } persistentState)
        {
            var stateType = ((INamedTypeSymbol)parameter.Type).TypeArguments[0].ToDisplayString(GrainSymbols.TypeFormat);
            var arguments = persistentState.ConstructorArguments;
            var stateName = arguments.Length > 0 ? FormatConstant(arguments[0]) : "null";
            var storageName = arguments.Length > 1 ? FormatConstant(arguments[1]) : "null";
            return $"ctx.GetPersistentState<{stateType}>({stateName}, {storageName})";
        }

        if (GrainSymbols.IsGrainActivationContext(parameter.Type))
        {
            return "ctx";
        }

        // Services are resolved by their type without a nullable annotation; `GetRequiredService<Foo?>` would read oddly.
        var serviceType = parameter.Type.IsReferenceType
            ? parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)
            : parameter.Type;
        var serviceTypeName = serviceType.ToDisplayString(GrainSymbols.TypeFormat);

        var keyed = parameter.GetAttributes().FirstOrDefault(a => GrainSymbols.IsDependencyInjectionAttribute(a, "FromKeyedServicesAttribute"));
        if (keyed is not null)
        {
            var key = keyed.ConstructorArguments.Length > 0 ? FormatConstant(keyed.ConstructorArguments[0]) : "null";
            return $"{KeyedServiceProviderExtensions}.GetRequiredKeyedService<{serviceTypeName}>(ctx.Services, {key})";
        }

        if (!parameter.HasExplicitDefaultValue)
        {
            return $"{ServiceProviderExtensions}.GetRequiredService<{serviceTypeName}>(ctx.Services)";
        }

        var fallback = CSharpLiteral.Format(parameter.ExplicitDefaultValue, parameter.Type);
        var isNullableValue = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
        if (parameter.Type.IsValueType && !isNullableValue)
        {
            // GetService<T> unboxes null for a missing value-type service and throws; `as T?` yields null instead.
            return $"(ctx.Services.GetService(typeof({serviceTypeName})) as {serviceTypeName}?) ?? {fallback}";
        }

        return parameter.ExplicitDefaultValue is null
            ? $"{ServiceProviderExtensions}.GetService<{serviceTypeName}>(ctx.Services)"
            : $"{ServiceProviderExtensions}.GetService<{serviceTypeName}>(ctx.Services) ?? {fallback}";
    }

    private static AttributeData? FindPersistentState(IParameterSymbol parameter) =>
        parameter.GetAttributes().FirstOrDefault(a => GrainSymbols.IsPersistenceAttribute(a, "PersistentStateAttribute"));

    private static string FormatConstant(TypedConstant constant)
    {
        if (constant.IsNull)
        {
            return "null";
        }

        return constant.Kind switch
        {
            TypedConstantKind.Primitive or TypedConstantKind.Enum when constant.Type is not null => CSharpLiteral.Format(constant.Value, constant.Type),
            TypedConstantKind.Type when constant.Value is ITypeSymbol type => $"typeof({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})",
            _ => constant.ToCSharpString(),
        };
    }
}
