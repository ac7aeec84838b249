using System.Globalization;
using Lineage.Runtime.Activation;
using Lineage.Runtime.Timers;

namespace Lineage.Runtime;

/// <summary>Base class of grain implementations: identity, life-cycle hooks, timers and access to other grains.</summary>
/// <remarks>Grains are constructed by the runtime through dependency injection; never with <c>new</c>.</remarks>
public abstract class Grain
{
    private readonly GrainActivation _activation;

    /// <summary>Binds the grain to the activation being constructed.</summary>
    protected Grain()
    {
        _activation = GrainActivation.Constructing
            ?? throw new InvalidOperationException(
                $"{GetType().Name} was constructed outside the runtime. Grains are created on their first call; get a reference with IGrainFactory.GetGrain.");
    }

    /// <summary>This grain's id.</summary>
    public GrainId GrainId => _activation.GrainId;

    /// <summary>For calling other grains.</summary>
    protected IGrainFactory GrainFactory => _activation.Runtime.Factory;

    /// <summary>The silo's services.</summary>
    protected IServiceProvider ServiceProvider => _activation.Services;

    /// <summary>The key of a string-keyed grain.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The key of a Guid-keyed grain.</summary>
    public Guid GetPrimaryKey() => Guid.ParseExact(GrainId.Key, "N");

    /// <summary>The key of an integer-keyed grain.</summary>
    public long GetPrimaryKeyLong() => long.Parse(GrainId.Key, CultureInfo.InvariantCulture);

    /// <summary>Runs once, after state is read and before the first request; an exception fails the activation.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the activation is deactivated; nothing is written unless this method writes it.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current request ends; the next call activates it afresh.</summary>
    protected void DeactivateOnIdle() => _activation.IsDeactivationRequestedOnIdle = true;

    /// <summary>Registers a timer whose callback runs as a turn of this grain; it lives as long as the activation
    /// and does not keep the activation alive.</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));

    /// <summary>Registers a timer with explicit options.</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(_activation, callback, options);
        _activation.AddTimer(timer);
        timer.Start();
        return timer;
    }
}
