using System.Globalization;
using System.Text.Json;

namespace Lineage.Runtime.Persistence;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: JSON on top of an <see cref="IGrainStorage"/> provider.</summary>
internal sealed class PersistentState<TState>(GrainId grainId, string stateName, IGrainStorage storage, JsonSerializerOptions serializerOptions)
    : IPersistentState<TState>, IPersistentStateLoader
    where TState : new()
{
    private long _version;

    public TState State { get; set; } = new();

    public string? Etag => _version == 0 ? null : _version.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await storage.ReadAsync(grainId, stateName, cancellationToken);
        _version = record.Version;
        RecordExists = record.Exists;
        State = record.Exists
            ? JsonSerializer.Deserialize<TState>(record.Payload.Span, serializerOptions) ?? new TState()
            : new TState();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, serializerOptions);
        try
        {
            _version = await storage.WriteAsync(grainId, stateName, _version, payload, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            DiscardActivation();
            throw;
        }

        RecordExists = true;
    }

    // Another activation wrote first (a duplicate during a membership change, or a lingering one): this activation's in-memory state
    // is stale, so it goes away after the current request and the next call re-reads the stored state.
    private static void DiscardActivation()
    {
        if (SynchronizationContext.Current is Activation.GrainActivation activation)
        {
            activation.IsDeactivationRequestedOnIdle = true;
        }
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            _version = await storage.ClearAsync(grainId, stateName, _version, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            DiscardActivation();
            throw;
        }

        RecordExists = false;
        State = new TState();
    }
}
