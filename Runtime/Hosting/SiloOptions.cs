namespace Lineage.Runtime.Hosting;

/// <summary>Settings of the silo's runtime: timeouts, activation collection and capacity limits.</summary>
public sealed class SiloOptions
{
    /// <summary>Configuration section these options bind to ("Silo").</summary>
    public const string SectionName = "Silo";

    /// <summary>How long a caller waits for a grain call before it gets a <see cref="GrainCallTimeoutException"/>. Default: 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often expired calls are looked for; a timeout fires up to this much late. Default: 1 s.</summary>
    public TimeSpan RequestTimeoutCheckPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An activation idle for longer than this is deactivated. Default: 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default: 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cap on live activations; above it the least recently used idle ones are deactivated early, down to
    /// <see cref="CapacityTarget"/> of the cap. Default: 0 (no cap).</summary>
    public int MaxActivations { get; set; }

    /// <summary>Managed-heap size above which the least recently used idle activations are deactivated early. Default: 0, which
    /// means "when the GC reports high memory load" (by default 90% of the memory available to the process).</summary>
    public long MemoryLimitBytes { get; set; }

    /// <summary>Fraction of the activation count kept when collecting under capacity or memory pressure. Default: 0.9.</summary>
    public double CapacityTarget { get; set; } = 0.9;

    /// <summary>Time allowed for constructing a grain, reading its state and OnActivateAsync (passed as a cancellation token). Default: 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for OnDeactivateAsync (passed as a cancellation token). Default: 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for deactivating every grain at shutdown before the silo stops anyway. Default: 60 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Silo:{name} must be positive.");
            }
        }

        Positive(RequestTimeout, nameof(RequestTimeout));
        Positive(RequestTimeoutCheckPeriod, nameof(RequestTimeoutCheckPeriod));
        Positive(CollectionAge, nameof(CollectionAge));
        Positive(CollectionQuantum, nameof(CollectionQuantum));
        Positive(ActivationTimeout, nameof(ActivationTimeout));
        Positive(DeactivationTimeout, nameof(DeactivationTimeout));
        Positive(ShutdownTimeout, nameof(ShutdownTimeout));
        if (MaxActivations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxActivations), MaxActivations, "Silo:MaxActivations must be 0 (no cap) or positive.");
        }

        if (CapacityTarget is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CapacityTarget), CapacityTarget, "Silo:CapacityTarget must be in (0, 1].");
        }
    }
}
