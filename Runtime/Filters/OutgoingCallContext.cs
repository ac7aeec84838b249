using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Filters;

/// <summary>Carries one call through the outgoing filters; the request's response is routed here before the caller sees it.</summary>
internal sealed class OutgoingCallContext(RequestBase request, GrainReference target, IOutgoingGrainCallFilter[] filters, GrainId? sourceId, Action<GrainReference, RequestBase> send)
    : IOutgoingGrainCallContext
{
    private int _next;
    private TaskCompletionSource? _response;

    public GrainId TargetId => target.GrainId;

    public GrainId? SourceId { get; } = sourceId;

    public MethodDescriptor Method => request.Method;

    public object?[] Arguments => field ??= request.GetArguments();

    public object? Result { get; set; }

    /// <summary>What the chain ended with, if it failed.</summary>
    public Exception? Exception { get; private set; }

    public Task Invoke()
    {
        if (_next < filters.Length)
        {
            return filters[_next++].Invoke(this);
        }

        _response = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        request.Interceptor = this;
        send(target, request);
        return _response.Task;
    }

    public void OnResponse(object? result, Exception? exception)
    {
        if (exception is null)
        {
            Result = result;
            _response?.TrySetResult();
        }
        else
        {
            _response?.TrySetException(exception);
        }
    }

    /// <summary>Runs the chain and then releases the caller with whatever the filters left.</summary>
    public async Task RunAsync()
    {
        try
        {
            await Invoke().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Exception = exception;
        }

        request.Interceptor = null;
        request.DeliverFiltered(this);
    }
}
