using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Lineage.Runtime.Generators;

/// <summary>The generator's errors. Each message names the offending symbol and says what is supported instead,
/// because the user reads it without the generator's source at hand.</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "Lineage.Grains";

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "LIN001",
        "Unsupported grain method return type",
        "Method '{0}' of grain interface '{1}' returns '{2}'. Grain interface methods must return Task, Task<T>, ValueTask or ValueTask<T>.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedParameter = new(
        "LIN002",
        "Unsupported grain method parameter",
        "Parameter '{0}' of method '{1}' on grain interface '{2}' {3}. Grain method arguments are copied into a request, so parameters must be passed by value and cannot be ref structs or pointers.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericMethod = new(
        "LIN003",
        "Generic grain method",
        "Method '{0}' of grain interface '{1}' is generic. Grain interface methods cannot have type parameters; declare a non-generic method for each type instead.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NonMethodMember = new(
        "LIN004",
        "Grain interface member is not a method",
        "Grain interface '{0}' declares {1} '{2}'. Grain interfaces may only declare methods returning Task, Task<T>, ValueTask or ValueTask<T>; expose the value through a method such as 'Task<T> GetValue()'.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OneWayWithResult = new(
        "LIN005",
        "One-way grain method returns a value",
        "Method '{0}' of grain interface '{1}' is [OneWay] but returns '{2}'. The caller of a one-way method never receives a result: return Task or ValueTask, or remove [OneWay].",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericInterface = new(
        "LIN006",
        "Generic grain interface",
        "Grain interface '{0}' is generic. Grain interfaces cannot have type parameters nor be nested in a generic type; declare a non-generic interface for each closed type.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoPublicConstructor = new(
        "LIN007",
        "Grain class without a public constructor",
        "Grain class '{0}' has no public constructor. The runtime creates grain classes through a public constructor (parameters come from the activation context and the silo's services); make one public.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotDerivedFromGrain = new(
        "LIN008",
        "Grain interface implemented outside a grain class",
        "'{0}' implements grain interface '{1}' but does not derive from Lineage.Runtime.Grain. Only classes deriving from Grain can serve grain calls; derive from Grain or from a class that does.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PersistentStateType = new(
        "LIN009",
        "[PersistentState] on a parameter of the wrong type",
        "Parameter '{0}' of the constructor of '{1}' has [PersistentState] but its type is '{2}'. [PersistentState] applies only to parameters of type IPersistentState<TState>.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Inaccessible = new(
        "LIN010",
        "Grain type not reachable by generated code",
        "'{0}' is {1}, so the generated proxy and manifest cannot refer to it. Grain interfaces and grain classes, and any types they are nested in, must be public or internal.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = new()
    {
        [UnsupportedReturnType.Id] = UnsupportedReturnType,
        [UnsupportedParameter.Id] = UnsupportedParameter,
        [GenericMethod.Id] = GenericMethod,
        [NonMethodMember.Id] = NonMethodMember,
        [OneWayWithResult.Id] = OneWayWithResult,
        [GenericInterface.Id] = GenericInterface,
        [NoPublicConstructor.Id] = NoPublicConstructor,
        [NotDerivedFromGrain.Id] = NotDerivedFromGrain,
        [PersistentStateType.Id] = PersistentStateType,
        [Inaccessible.Id] = Inaccessible,
    };

    internal static DiagnosticDescriptor Get(string id) => ById[id];
}
