using Lineage.Runtime.Cluster.Serialization;
using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Activation;

/// <summary>Makes typed grain references that deliver through <paramref name="dispatcher"/>.</summary>
internal sealed class GrainFactory(GrainCallDispatcher dispatcher, GrainTypeRegistry registry) : IGrainFactory, IGrainReferenceFactory
{
    public object GetGrain(Type interfaceType, GrainId grainId) => registry.GetDescriptor(interfaceType).CreateProxy(dispatcher, grainId);

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Create<TGrainInterface>(key);
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid key) where TGrainInterface : IGrainWithGuidKey =>
        Create<TGrainInterface>(key.ToString("N"));

    public TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey =>
        Create<TGrainInterface>(key.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private TGrainInterface Create<TGrainInterface>(string key)
    {
        var (descriptor, grainType) = registry.GetInterface(typeof(TGrainInterface));
        return (TGrainInterface)(object)descriptor.CreateProxy(dispatcher, new GrainId(grainType, key));
    }
}
