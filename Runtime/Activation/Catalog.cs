using System.Collections.Concurrent;

namespace Lineage.Runtime.Activation;

/// <summary>The silo's activations by grain id: at most one per grain.</summary>
internal sealed class Catalog(GrainTypeRegistry registry, LocalGrainRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();

    // Counted here: ConcurrentDictionary.Count takes every one of its locks, and it was read on each activation created (12% of a
    // silo's CPU during intake, measured with perf, once the table held hundreds of thousands of activations).
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The activations, enumerated without locks or a copy (a concurrent add or removal may or may not be seen).</summary>
    /// <remarks>Not <c>Values</c>, which takes every lock and copies the whole table: the timeout sweep runs every second.</remarks>
    public IEnumerable<GrainActivation> Activations
    {
        get
        {
            foreach (var pair in _activations)
            {
                yield return pair.Value;
            }
        }
    }

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
            runtime.OnActivationCreated(Interlocked.Increment(ref _count));
        }

        return winner;
    }

    public bool TryGet(GrainId grainId, out GrainActivation? activation) => _activations.TryGetValue(grainId, out activation);

    public void Remove(GrainActivation activation)
    {
        if (_activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.GrainId, activation)))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
