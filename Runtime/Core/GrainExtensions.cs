using Lineage.Runtime.Invocation;

namespace Lineage.Runtime;

/// <summary>Helpers on grain references.</summary>
public static class GrainExtensions
{
    /// <summary>The id of the grain a reference points at.</summary>
    public static GrainId GetGrainId(this IGrain grain) => grain switch
    {
        GrainReference reference => reference.GrainId,
        _ => throw new ArgumentException($"{grain.GetType().Name} is not a grain reference; references come from IGrainFactory.GetGrain.", nameof(grain)),
    };
}
