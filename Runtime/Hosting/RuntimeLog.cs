using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Hosting;

internal static partial class RuntimeLog
{
    [LoggerMessage(1, LogLevel.Warning, "Activation of grain {GrainId} failed; waiting calls were failed and the next call will retry")]
    public static partial void ActivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(2, LogLevel.Warning, "OnDeactivateAsync of grain {GrainId} threw; the activation was removed anyway")]
    public static partial void DeactivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(3, LogLevel.Debug, "Deactivated {GrainId}: {Reason}")]
    public static partial void Deactivated(this ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(4, LogLevel.Information, "Collected {Count} activations ({Reason}); {Remaining} remain")]
    public static partial void Collected(this ILogger logger, int count, DeactivationReasonCode reason, int remaining);

    [LoggerMessage(5, LogLevel.Information, "Silo runtime started with {GrainClasses} grain classes and {GrainInterfaces} grain interfaces")]
    public static partial void Started(this ILogger logger, int grainClasses, int grainInterfaces);

    [LoggerMessage(6, LogLevel.Information, "Silo runtime stopping: deactivating {Count} activations")]
    public static partial void Stopping(this ILogger logger, int count);

    [LoggerMessage(7, LogLevel.Warning, "Shutdown timed out with {Count} activations still deactivating")]
    public static partial void ShutdownTimedOut(this ILogger logger, int count);

    [LoggerMessage(8, LogLevel.Information, "Silo runtime stopped; all activations deactivated")]
    public static partial void Stopped(this ILogger logger);

    [LoggerMessage(9, LogLevel.Warning, "Grain timer callback of {GrainId} threw")]
    public static partial void TimerFailed(this ILogger logger, Exception exception, GrainId grainId);
}
