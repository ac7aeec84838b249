using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Filters;

/// <summary>A grain call as a filter sees it.</summary>
public interface IGrainCallContext
{
    /// <summary>The grain being called.</summary>
    GrainId TargetId { get; }

    /// <summary>The method being called.</summary>
    MethodDescriptor Method { get; }

    /// <summary>The call's arguments (boxed copies).</summary>
    object?[] Arguments { get; }

    /// <summary>The result, once <see cref="Invoke"/> has completed; a filter may replace it.</summary>
    object? Result { get; set; }

    /// <summary>Runs the rest of the filter chain and then the call; throws what the call threw.</summary>
    Task Invoke();
}

/// <summary>A call arriving at a grain, seen by an <see cref="IIncomingGrainCallFilter"/> inside the grain's turn.</summary>
public interface IIncomingGrainCallContext : IGrainCallContext
{
    /// <summary>The grain instance about to run the call.</summary>
    object Grain { get; }
}

/// <summary>A call leaving a caller, seen by an <see cref="IOutgoingGrainCallFilter"/>.</summary>
public interface IOutgoingGrainCallContext : IGrainCallContext
{
    /// <summary>The calling grain, or null for calls from outside any grain.</summary>
    GrainId? SourceId { get; }
}

/// <summary>Runs around every call a grain receives, inside the grain's turn.</summary>
public interface IIncomingGrainCallFilter
{
    /// <summary>Handles the call; must call <see cref="IGrainCallContext.Invoke"/> exactly once to let it proceed.</summary>
    Task Invoke(IIncomingGrainCallContext context);
}

/// <summary>Runs around every call made through a grain reference in this process.</summary>
public interface IOutgoingGrainCallFilter
{
    /// <summary>Handles the call; must call <see cref="IGrainCallContext.Invoke"/> exactly once to let it proceed.</summary>
    Task Invoke(IOutgoingGrainCallContext context);
}
