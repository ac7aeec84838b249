using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Lineage.Runtime.Generators;

/// <summary>Turns a grain interface symbol into a <see cref="GrainInterfaceModel"/>, collecting what makes it unproxyable.</summary>
internal static class GrainInterfaceReader
{
    public static GrainInterfaceModel Read(INamedTypeSymbol grainInterface, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var interfaceLocation = grainInterface.Locations.FirstOrDefault();
        var interfaceName = grainInterface.ToDisplayString(GrainSymbols.MessageFormat);

        if (GrainSymbols.IsGenericOrInGeneric(grainInterface))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericInterface, interfaceLocation, interfaceName));
        }

        if (GrainSymbols.DescribeInaccessibility(grainInterface) is { } inaccessibility)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Inaccessible, interfaceLocation, interfaceName, inaccessibility));
        }

        var methods = new List<GrainMethodModel>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

        // Own members first, so their indices stay put when a base interface grows; then the bases' in AllInterfaces order,
        // which is topological (an interface before its own bases) and stable for a given set of declarations.
        foreach (var declaringInterface in new[] { grainInterface }.Concat(grainInterface.AllInterfaces))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in declaringInterface.GetMembers())
            {
                if (member.IsStatic)
                {
                    continue;
                }

                // Members that come from metadata have no source location; point at the interface being generated instead.
                var location = member.Locations.FirstOrDefault(l => l.IsInSource) ?? interfaceLocation;
                var declaringName = declaringInterface.ToDisplayString(GrainSymbols.MessageFormat);
                switch (member)
                {
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary } method when method.IsAbstract || method.IsVirtual:
                        if (seen.Add(method) && ReadMethod(method, declaringInterface, declaringName, location, diagnostics) is { } model)
                        {
                            methods.Add(model);
                        }

                        break;
                    case IPropertySymbol property:
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.NonMethodMember,
                            location,
                            declaringName,
                            property.IsIndexer ? "an indexer" : "property",
                            property.IsIndexer ? "this[]" : property.Name));
                        break;
                    case IEventSymbol grainEvent:
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonMethodMember, location, declaringName, "event", grainEvent.Name));
                        break;
                }
            }
        }

        return new GrainInterfaceModel(
            grainInterface.ToDisplayString(GrainSymbols.TypeFormat),
            grainInterface.Name,
            methods.ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    private static GrainMethodModel? ReadMethod(
        IMethodSymbol method,
        INamedTypeSymbol declaringInterface,
        string declaringName,
        Location? location,
        List<DiagnosticInfo> diagnostics)
    {
        var valid = true;
        var returnType = method.ReturnType.ToDisplayString(GrainSymbols.TypeFormat);
        var kind = ClassifyReturnType(method.ReturnType);
        if (kind is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedReturnType,
                location,
                method.Name,
                declaringName,
                method.ReturnType.ToDisplayString(GrainSymbols.MessageFormat)));
            valid = false;
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericMethod, location, method.Name, declaringName));
            valid = false;
        }

        var options = GrainMethodOptions.None;
        if (GrainSymbols.HasRuntimeAttribute(method, "ReadOnlyAttribute"))
        {
            options |= GrainMethodOptions.ReadOnly;
        }

        if (GrainSymbols.HasRuntimeAttribute(method, "AlwaysInterleaveAttribute"))
        {
            options |= GrainMethodOptions.AlwaysInterleave;
        }

        if (GrainSymbols.HasRuntimeAttribute(method, "OneWayAttribute"))
        {
            options |= GrainMethodOptions.OneWay;
            if (kind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.OneWayWithResult,
                    location,
                    method.Name,
                    declaringName,
                    method.ReturnType.ToDisplayString(GrainSymbols.MessageFormat)));
                valid = false;
            }
        }

        var parameters = new List<GrainParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            if (DescribeUnsupportedParameter(parameter) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedParameter,
                    parameter.Locations.FirstOrDefault(l => l.IsInSource) ?? location,
                    parameter.Name,
                    method.Name,
                    declaringName,
                    problem));
                valid = false;
                continue;
            }

            var name = parameter.Name.Length > 0 ? parameter.Name : "arg" + parameter.Ordinal;
            parameters.Add(new GrainParameterModel(
                GrainSymbols.EscapeIdentifier(name),
                parameter.Type.ToDisplayString(GrainSymbols.TypeFormat),
                parameter.IsParams));
        }

        if (!valid || kind is not { } returnKind)
        {
            return null;
        }

        string? resultType = null;
        if (returnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT)
        {
            var taskType = (INamedTypeSymbol)method.ReturnType;
            resultType = taskType.TypeArguments[0]
                .WithNullableAnnotation(taskType.TypeArgumentNullableAnnotations[0])
                .ToDisplayString(GrainSymbols.TypeFormat);
        }

        return new GrainMethodModel(
            method.Name,
            declaringInterface.ToDisplayString(GrainSymbols.TypeFormat),
            returnType,
            returnKind,
            resultType,
            method.ReturnType.NullableAnnotation == NullableAnnotation.Annotated,
            options,
            parameters.ToEquatableArray());
    }

    private static ReturnKind? ClassifyReturnType(ITypeSymbol type)
    {
        if (GrainSymbols.IsTasksType(type, "Task"))
        {
            return ReturnKind.Task;
        }

        if (GrainSymbols.IsTasksType(type, "Task`1"))
        {
            return ReturnKind.TaskOfT;
        }

        if (GrainSymbols.IsTasksType(type, "ValueTask"))
        {
            return ReturnKind.ValueTask;
        }

        if (GrainSymbols.IsTasksType(type, "ValueTask`1"))
        {
            return ReturnKind.ValueTaskOfT;
        }

        return null;
    }

    private static string? DescribeUnsupportedParameter(IParameterSymbol parameter)
    {
        switch (parameter.RefKind)
        {
            case RefKind.Ref:
                return "is passed by ref";
            case RefKind.Out:
                return "is an out parameter";
            case RefKind.In:
                return "is an in parameter";
            case RefKind.None:
                break;
            default:
                return "is passed by ref readonly";
        }

        if (parameter.Type.IsRefLikeType)
        {
            return $"has the ref struct type '{parameter.Type.ToDisplayString(GrainSymbols.MessageFormat)}'";
        }

        return parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer
            ? $"has the pointer type '{parameter.Type.ToDisplayString(GrainSymbols.MessageFormat)}'"
            : null;
    }
}
