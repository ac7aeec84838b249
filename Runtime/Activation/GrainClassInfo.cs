using Lineage.Runtime.Invocation;
using Lineage.Runtime.Statistics;

namespace Lineage.Runtime.Activation;

/// <summary>A registered grain class with its live figures: activation count and per-method statistics.</summary>
internal sealed class GrainClassInfo
{
    // Indexed by MethodDescriptor.Id so the call path finds its counters without hashing.
    private readonly MethodStatistics?[] _methodStatistics;
    private long _activations;

    public GrainClassInfo(GrainClassDescriptor descriptor, IReadOnlyList<GrainInterfaceDescriptor> interfaces)
    {
        Descriptor = descriptor;
        Interfaces = interfaces;
        IsSiloBound = descriptor.GrainClass.IsDefined(typeof(SiloBoundAttribute), inherit: false);
        var maxId = Math.Max(TimerMethods.Tick.Id, TimerMethods.InterleavedTick.Id);
        foreach (var grainInterface in interfaces)
        {
            foreach (var method in grainInterface.Methods)
            {
                maxId = Math.Max(maxId, method.Id);
            }
        }

        _methodStatistics = new MethodStatistics?[maxId + 1];
        foreach (var grainInterface in interfaces)
        {
            foreach (var method in grainInterface.Methods)
            {
                _methodStatistics[method.Id] = new MethodStatistics(method);
            }
        }

        _methodStatistics[TimerMethods.Tick.Id] = new MethodStatistics(TimerMethods.Tick);
        _methodStatistics[TimerMethods.InterleavedTick.Id] = new MethodStatistics(TimerMethods.InterleavedTick);
    }

    public GrainClassDescriptor Descriptor { get; }

    public IReadOnlyList<GrainInterfaceDescriptor> Interfaces { get; }

    public string GrainType => Descriptor.GrainType;

    public bool IsReentrant => Descriptor.IsReentrant;

    /// <summary>Whether each activation lives on the silo its key names rather than where the ring puts it.</summary>
    public bool IsSiloBound { get; }

    public long Activations => Volatile.Read(ref _activations);

    public IEnumerable<MethodStatistics> Methods => _methodStatistics.OfType<MethodStatistics>();

    public void ActivationAdded() => Interlocked.Increment(ref _activations);

    public void ActivationRemoved() => Interlocked.Decrement(ref _activations);

    public void Record(MethodDescriptor method, long microseconds, bool failed)
    {
        var statistics = (uint)method.Id < (uint)_methodStatistics.Length ? _methodStatistics[method.Id] : null;
        statistics?.Record(microseconds, failed);
    }
}
