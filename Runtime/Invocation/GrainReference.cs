namespace Lineage.Runtime.Invocation;

/// <summary>Base class of the generated grain proxies: a grain id plus the dispatcher that delivers its calls.</summary>
public abstract class GrainReference : IEquatable<GrainReference>
{
    /// <summary>Creates a reference; called only from generated proxies.</summary>
    protected GrainReference(GrainCallDispatcher dispatcher, GrainId grainId)
    {
        Dispatcher = dispatcher;
        GrainId = grainId;
    }

    /// <summary>The grain this reference points at.</summary>
    public GrainId GrainId { get; }

    internal GrainCallDispatcher Dispatcher { get; }

    /// <summary>The local activation this reference last reached; saves a directory lookup per call while it stays valid.</summary>
    internal object? CachedTarget { get; set; }

    /// <summary>Sends <paramref name="request"/>; its result arrives through the request itself.</summary>
    protected void Invoke(RequestBase request) => Dispatcher.Send(this, request);

    /// <inheritdoc />
    public bool Equals(GrainReference? other) => other is not null && GrainId.Equals(other.GrainId);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => GrainId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => GrainId.ToString();
}
