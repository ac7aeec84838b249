using System.Collections.Concurrent;

namespace Lineage.Runtime.Activation;

/// <summary>The silo's activations by grain id: at most one per grain.</summary>
internal sealed class Catalog(GrainTypeRegistry registry, LocalGrainRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();

    public int Count => _activations.Count;

    public ICollection<GrainActivation> Activations => _activations.Values;

    /// <summary>The activation of <paramref name="grainId"/>, created (not yet activated) when there is none.</summary>
    public GrainActivation GetOrCreate(GrainId grainId)
    {
        if (_activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }

        var classInfo = registry.GetClass(grainId.Type);
        var created = new GrainActivation(grainId, classInfo, runtime);
        var winner = _activations.GetOrAdd(grainId, created);
        if (ReferenceEquals(winner, created))
        {
            runtime.OnActivationCreated(_activations.Count);
        }

        return winner;
    }

    public bool TryGet(GrainId grainId, out GrainActivation? activation) => _activations.TryGetValue(grainId, out activation);

    public void Remove(GrainActivation activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.GrainId, activation));
}
