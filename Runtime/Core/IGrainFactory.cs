namespace Lineage.Runtime;

/// <summary>Hands out typed references to grains; a reference is cheap and valid forever.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the string-keyed grain <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;

    /// <summary>A reference to the Guid-keyed grain <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(Guid key) where TGrainInterface : IGrainWithGuidKey;

    /// <summary>A reference to the integer-keyed grain <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey;
}
