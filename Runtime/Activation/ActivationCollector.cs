using Lineage.Runtime.Hosting;

namespace Lineage.Runtime.Activation;

/// <summary>Deactivates idle activations: those unused for longer than the collection age, and the least recently used
/// when the silo is over its activation cap or memory limit.</summary>
internal sealed class ActivationCollector(LocalGrainRuntime runtime)
{
    private int _capacityCollectionQueued;

    /// <summary>Runs one collection pass; called every <see cref="SiloOptions.CollectionQuantum"/>.</summary>
    public int Collect()
    {
        var collected = CollectIdle();
        if (IsOverCapacity(out var target))
        {
            collected += CollectLeastRecentlyUsed(target);
        }

        return collected;
    }

    /// <summary>Queues a capacity pass off the call path (the activation cap was crossed by a new activation).</summary>
    public void RequestCapacityCollection()
    {
        if (Interlocked.Exchange(ref _capacityCollectionQueued, 1) == 1)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static collector =>
            {
                try
                {
                    if (collector.IsOverCapacity(out var target))
                    {
                        collector.CollectLeastRecentlyUsed(target);
                    }
                }
                finally
                {
                    Volatile.Write(ref collector._capacityCollectionQueued, 0);
                }
            },
            this,
            preferLocal: false);
    }

    private int CollectIdle()
    {
        var now = runtime.TimeProvider.GetTimestamp();
        var age = runtime.Options.CollectionAge;
        var reason = new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"Idle for longer than {age}.");
        var count = 0;
        foreach (var activation in runtime.Catalog.Activations)
        {
            if (activation.IsIdle && runtime.TimeProvider.GetElapsedTime(activation.LastActiveTimestamp, now) >= age)
            {
                activation.Deactivate(reason);
                count++;
            }
        }

        if (count > 0)
        {
            runtime.Log.Collected(count, DeactivationReasonCode.ActivationIdle, runtime.Catalog.Count - count);
        }

        return count;
    }

    private bool IsOverCapacity(out int target)
    {
        var count = runtime.Catalog.Count;
        var options = runtime.Options;
        if (options.MaxActivations > 0 && count > options.MaxActivations)
        {
            target = (int)(options.MaxActivations * options.CapacityTarget);
            return true;
        }

        if (IsOverMemoryLimit())
        {
            target = (int)(count * options.CapacityTarget);
            return true;
        }

        target = count;
        return false;
    }

    private bool IsOverMemoryLimit()
    {
        if (runtime.Options.MemoryLimitBytes > 0)
        {
            return GC.GetTotalMemory(forceFullCollection: false) > runtime.Options.MemoryLimitBytes;
        }

        var info = GC.GetGCMemoryInfo();
        return info.HighMemoryLoadThresholdBytes > 0 && info.MemoryLoadBytes >= info.HighMemoryLoadThresholdBytes;
    }

    private int CollectLeastRecentlyUsed(int target)
    {
        var excess = runtime.Catalog.Count - target;
        if (excess <= 0)
        {
            return 0;
        }

        var idle = runtime.Catalog.Activations.Where(a => a.IsIdle).ToList();
        idle.Sort(static (a, b) => a.LastActiveTimestamp.CompareTo(b.LastActiveTimestamp));
        var reason = new DeactivationReason(DeactivationReasonCode.CapacityPressure, "The silo is over its activation or memory limit.");
        var count = Math.Min(excess, idle.Count);
        for (var i = 0; i < count; i++)
        {
            idle[i].Deactivate(reason);
        }

        if (count > 0)
        {
            runtime.Log.Collected(count, DeactivationReasonCode.CapacityPressure, runtime.Catalog.Count - count);
        }

        return count;
    }
}
