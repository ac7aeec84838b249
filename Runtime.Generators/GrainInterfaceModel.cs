using System;

namespace Lineage.Runtime.Generators;

/// <summary>What a grain interface method returns, which decides how the proxy hands back the result.</summary>
internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>Mirrors Lineage.Runtime.Invocation.MethodOptions; the generator cannot reference the runtime assembly.</summary>
[Flags]
internal enum GrainMethodOptions
{
    None = 0,
    ReadOnly = 1,
    AlwaysInterleave = 2,
    OneWay = 4,
}

/// <param name="Name">The parameter's name, escaped if it is a keyword.</param>
/// <param name="Type">The parameter's type as generated code spells it.</param>
internal sealed record GrainParameterModel(string Name, string Type, bool IsParams);

/// <param name="Name">The method's name as declared (unescaped); also the name on the wire.</param>
/// <param name="DeclaringInterface">The interface that declares the method, which may be a base of the grain interface.</param>
/// <param name="ResultType">T of Task&lt;T&gt; or ValueTask&lt;T&gt;; null for methods without a result.</param>
/// <param name="ReturnsNullable">The return type itself is annotated nullable (<c>Task?</c>), so calls need a null-forgiving operator.</param>
internal sealed record GrainMethodModel(
    string Name,
    string DeclaringInterface,
    string ReturnType,
    ReturnKind Kind,
    string? ResultType,
    bool ReturnsNullable,
    GrainMethodOptions Options,
    EquatableArray<GrainParameterModel> Parameters);

/// <summary>A grain interface with its methods flattened: its own first, then those of its base interfaces.</summary>
/// <param name="FullName">The interface as generated code spells it (<c>global::Ns.IFoo</c>); also its sort key.</param>
/// <param name="Name">The interface's simple name, from which generated type names are derived.</param>
internal sealed record GrainInterfaceModel(
    string FullName,
    string Name,
    EquatableArray<GrainMethodModel> Methods,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool IsValid => Diagnostics.Count == 0;
}
