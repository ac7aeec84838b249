namespace Lineage.Runtime.Generators;

/// <summary>A grain class as the manifest registers it.</summary>
/// <param name="FullName">The class as generated code spells it (<c>global::Ns.FooGrain</c>); also its sort key.</param>
/// <param name="GrainType">The grain type name used in grain ids and storage keys.</param>
/// <param name="Interfaces">The grain interfaces the class serves, fully qualified and sorted.</param>
/// <param name="ConstructorArguments">One C# expression per constructor parameter, each reading from the activation context <c>ctx</c>.</param>
internal sealed record GrainClassModel(
    string FullName,
    string GrainType,
    EquatableArray<string> Interfaces,
    bool IsReentrant,
    EquatableArray<string> ConstructorArguments,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool IsValid => Diagnostics.Count == 0;
}
