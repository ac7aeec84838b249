namespace Lineage.Runtime.Generators;

/// <summary>Names of the generator's pipeline steps; tests read them to prove that unrelated edits hit the cache.</summary>
public static class TrackingNames
{
    public const string InterfaceModels = "Lineage.InterfaceModels";
    public const string ClassModels = "Lineage.ClassModels";
    public const string Interfaces = "Lineage.Interfaces";
    public const string InterfaceOutputs = "Lineage.InterfaceOutputs";
    public const string Classes = "Lineage.Classes";
    public const string Manifest = "Lineage.Manifest";
    public const string Diagnostics = "Lineage.Diagnostics";
}
